/**
 * The socket protocol of docs/protocol.md as types: every frame a client may send ({@code
 * entity.ClientFrame}) and every frame chatserv sends ({@code entity.ServerFrame}), each a record
 * that is the one place its JSON is read or written, and the decoder that turns a text frame into a
 * client frame ({@code boundary.ClientFrameDecoder}). Adding a frame type means one record here,
 * one handler method in {@code delivery.boundary.ChatEndpoint}, and its section in the docs.
 */
package teamchat.chatserv.protocol;
