package teamchat.auth.database.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.statement.StatementExceptions.MessageRendering;

/**
 * The one {@link Jdbi} of auth's stores, over the service's data source (connections from Payara's
 * pool, one per call). Why Jdbi and not JPA: see the package {@code teamchat.auth}.
 */
@ApplicationScoped
public class JdbiProducer {

  @Inject DataSource dataSource;

  /**
   * A {@code @Singleton}, not {@code @ApplicationScoped}: {@link Jdbi} cannot be proxied (its
   * constructor is private), and it is thread-safe and stateless between calls anyway.
   */
  @Produces
  @Singleton
  Jdbi jdbi() {
    Jdbi jdbi = Jdbi.create(dataSource);
    // A failed statement's message carries no bound values: they are password hashes, token
    // hashes and sealed keys, none of which may reach a log. The SQLSTATE stays in the cause.
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(MessageRendering.NONE);
    return jdbi;
  }
}
