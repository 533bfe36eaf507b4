/**
 * Files shared in rooms: uploaded by a member (pending), attached to one message when it is stored,
 * served to the room's members only. Bytes and metadata live in PostgreSQL (chunked), the type is
 * sniffed from the bytes, names are sanitised, image thumbnails are re-encoded here.
 */
package teamchat.chatfront.files;
