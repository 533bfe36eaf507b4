/**
 * Search (issue 19): messages the person may read, found by whole words (stemmed, PostgreSQL
 * full-text search) and by parts of words (pg_trgm), with filters ({@code in:}, {@code from:},
 * {@code before:}, {@code after:}, {@code has:file}) and highlighted snippets; the messages around
 * one of them, so that a result opens its room there; and rooms by name. Every read checks the
 * person's memberships in its own SQL and is bounded (query length, page size, a statement
 * timeout). Read-side only: the messages are {@code messages}' and the memberships {@code rooms}'.
 */
package teamchat.chatfront.search;
