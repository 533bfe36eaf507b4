package teamchat.database.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the service's schema up to date before the application takes any request. A failed
 * migration fails the deployment: a service must never run against a schema it does not know.
 */
@ApplicationScoped
public class SchemaMigration {

  private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());

  @Inject DataSource dataSource;

  @Inject
  @ConfigProperty(name = "db.schema")
  String schema;

  void migrateOnStartup(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
    MigrateResult result =
        Flyway.configure(SchemaMigration.class.getClassLoader())
            .dataSource(dataSource)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .locations("classpath:db/migration")
            // Never on a live database: dropping everything must stay a deliberate act.
            .cleanDisabled(true)
            .load()
            .migrate();
    LOG.info(
        () ->
            "Schema "
                + schema
                + " at version "
                + result.targetSchemaVersion
                + " ("
                + result.migrationsExecuted
                + " migrations applied now)");
  }
}
