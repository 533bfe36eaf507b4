package teamchat.database.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The service's database, as the domain configuration defines it. Looked up by its global JNDI name
 * rather than injected with {@code @Resource}: this jar sits in {@code WEB-INF/lib}, where Payara
 * does not register {@code java:comp/env} entries for its classes.
 */
@ApplicationScoped
public class DataSourceProducer {

  /** The JDBC resource created by {@code payara/domain-config/post-boot-database.asadmin}. */
  public static final String JNDI_NAME = "jdbc/teamchat";

  @Produces
  @ApplicationScoped
  DataSource dataSource() throws NamingException {
    return InitialContext.doLookup(JNDI_NAME);
  }
}
