/** What every service must agree on about accounts: the one canonical form of a username. */
package teamchat.contract.accounts;
