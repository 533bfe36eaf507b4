/**
 * Storage: chatserv keeps no messages of its own. Everything is stored and read through chatfront's
 * internal REST API (MicroProfile Rest Clients), with assertions chatserv signs itself ({@code
 * ServiceAssertion}: auth is not asked); concurrent sends are coalesced into batches, one
 * transaction each, in the order they came ({@code Batcher}), and each batch's new messages are
 * announced as a CDI event that delivery observes. chatfront is also told of every person who signs
 * in over a socket ({@code KnownPeople}).
 */
package teamchat.chatserv.storage;
