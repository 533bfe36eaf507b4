/**
 * The running system as tests and tools meet it, one way each: {@link ChatUpProcess} starts {@code
 * ./chat up} and reads its ready file, {@link Accounts} makes people through auth's own API, {@link
 * ChatClient} speaks chatserv's WebSocket protocol (docs/protocol.md) and hands back each {@link
 * Frame} parsed, and {@link Fixtures} makes in the database what only the web app's pages make.
 *
 * <p>A new system test: start the system once per class ({@code RunningSystem} in system-tests),
 * make people with {@link Accounts}, rooms with {@link Fixtures}, and talk with {@link ChatClient}.
 */
package teamchat.systemtestkit;
