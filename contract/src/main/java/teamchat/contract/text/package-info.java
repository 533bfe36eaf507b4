/**
 * Text as it is checked at every door (chatserv's socket, chatfront's API and forms, auth's
 * registration): well-formed Unicode only, no control characters, lengths counted in code points,
 * NFC. One set of rules, so that what one service accepts another can store and send.
 */
package teamchat.contract.text;
