/**
 * How every service refuses a request: a 4xx status and {@code {"code", "message"}}, the code for
 * programs, the message for people. Never a 500 for bad input.
 */
package teamchat.contract.problems;
