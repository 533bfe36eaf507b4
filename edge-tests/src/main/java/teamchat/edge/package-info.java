/**
 * The edge for tests: {@link teamchat.edge.EdgeProxy} runs real nginx with the configuration
 * rendered from the repository's {@code nginx/} templates, on loopback ports, in front of whatever
 * backends a test starts, with a certificate made for the test ({@link
 * teamchat.edge.TestCertificate}). Tests only; nothing here ships.
 */
package teamchat.edge;
