/**
 * Cluster: what crosses between chatserv instances through Payara's Data Grid (Hazelcast, built
 * into Payara Micro). Each instance publishes the entries it stored; every instance hands what it
 * hears to its own followers through {@code delivery}, whose per-room seq makes whatever the grid
 * does (reorder, duplicate, lose) exactly once and in order. docs/scaling.md says what is shared
 * and why it is safe.
 */
package teamchat.chatserv.cluster;
