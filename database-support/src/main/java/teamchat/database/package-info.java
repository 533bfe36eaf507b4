/**
 * The database plumbing shared by the WARs that own a schema (auth and chatfront): the JDBC
 * resource {@value teamchat.database.control.DataSourceProducer#JNDI_NAME} comes from the domain
 * configuration in {@code payara/domain-config/}; each WAR names its schema with the MicroProfile
 * Config key {@code db.schema} and ships its migrations under {@code db/migration}.
 */
package teamchat.database;
