/**
 * Storage: chatserv keeps no messages of its own. Everything is stored and read through chatfront's
 * internal REST API, with a service token from auth; concurrent sends are coalesced into batches,
 * one transaction each.
 */
package teamchat.chatserv.storage;
