/**
 * {@code ./chat bench}: measures the running system against reference peers on the same machine in
 * the same run, interleaved round by round, so that every figure that matters is a ratio that the
 * machine's noise affects on both sides alike. {@link teamchat.bench.Bench} starts what it needs
 * (the system through {@code ./chat up}, a Node {@code ws} broadcast server), drives it with one
 * load generator ({@link teamchat.bench.ChatConnection}: Netty's WebSocket client, no thread per
 * connection), records latencies in HdrHistogram and writes JSON, Markdown and an HTML page.
 * Numbers never fail a build: this is a measuring tool, not a test.
 */
package teamchat.bench;
