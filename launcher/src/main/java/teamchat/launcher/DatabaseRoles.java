package teamchat.launcher;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * One login role per service that keeps data, as {@code deploy/vm1/provision-postgres.sh} makes
 * them on VM1: each owns its own schema (where Flyway, running as that role, makes the tables) and
 * may neither read nor create anything else. Run at every start, so that it also brings a database
 * of an older {@code ./chat up}, where the superuser owned everything, to this state.
 */
final class DatabaseRoles {

  /** A service's role, and the schema it owns (the service's {@code db.schema}). */
  record Role(String service, String name, String schema) {}

  static final List<Role> ROLES =
      List.of(
          new Role("auth", "teamchat_auth", "accounts"),
          new Role("chatfront", "teamchat_chatfront", "chat"));

  private DatabaseRoles() {}

  /**
   * Creates or updates the roles, gives each the password in {@code passwords} (by role name) and
   * its schema, and takes every other right away from them and from PUBLIC.
   *
   * @param superuser the shared database as its superuser
   */
  static void provision(DataSource superuser, Map<String, String> passwords) throws SQLException {
    try (Connection db = superuser.getConnection();
        Statement sql = db.createStatement()) {
      db.setAutoCommit(false);
      String database = db.getCatalog();
      for (Role role : ROLES) {
        try (var existing =
            sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + role.name() + "'")) {
          if (!existing.next()) {
            sql.execute("CREATE ROLE " + role.name() + " LOGIN");
          }
        }
        sql.execute(
            "ALTER ROLE " + role.name() + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
        // Hashed (SCRAM) by the driver: the password never reaches the server or its log.
        db.unwrap(PGConnection.class)
            .alterUserPassword(
                role.name(), passwords.get(role.name()).toCharArray(), "scram-sha-256");
      }
      String roles = String.join(", ", ROLES.stream().map(Role::name).toList());
      sql.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
      sql.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + roles);
      sql.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
      for (Role role : ROLES) {
        sql.execute(
            "CREATE SCHEMA IF NOT EXISTS " + role.schema() + " AUTHORIZATION " + role.name());
        handOver(sql, role);
      }
      // chatfront's search (migration V7) needs pg_trgm, and its role may not create extensions:
      // made here as on VM1 (provision-postgres.sh), in its schema, owned by the superuser.
      sql.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA chat");
      db.commit();
    }
  }

  /**
   * The schema and everything in it to its role. An older {@code ./chat up} connected as the
   * superuser, so the tables it migrated belong to the superuser; a fresh schema has nothing to
   * hand over. (REASSIGN OWNED cannot be used: the superuser also owns the system catalogs.)
   */
  private static void handOver(Statement sql, Role role) throws SQLException {
    sql.execute("ALTER SCHEMA " + role.schema() + " OWNER TO " + role.name());
    sql.execute(
        """
        DO $$
        DECLARE
          target regrole := '%1$s';
          object record;
        BEGIN
          -- Tables, views and standalone sequences; a table takes its own sequences along.
          FOR object IN
            SELECT c.oid::regclass AS name,
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                  ELSE 'TABLE' END AS kind
            FROM pg_class c
            WHERE c.relnamespace = '%2$s'::regnamespace AND c.relowner <> target
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
              AND NOT (c.relkind = 'S' AND EXISTS (
                SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                  AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
            ORDER BY c.relkind = 'S'
          LOOP
            EXECUTE format('ALTER %%s %%s OWNER TO %%I', object.kind, object.name, target);
          END LOOP;
          FOR object IN
            SELECT p.oid::regprocedure AS name FROM pg_proc p
            WHERE p.pronamespace = '%2$s'::regnamespace AND p.proowner <> target
              -- An extension's functions (pg_trgm's) stay its owner's.
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                AND d.objid = p.oid AND d.deptype = 'e')
          LOOP
            EXECUTE format('ALTER ROUTINE %%s OWNER TO %%I', object.name, target);
          END LOOP;
          FOR object IN
            SELECT t.oid::regtype AS name FROM pg_type t
            WHERE t.typnamespace = '%2$s'::regnamespace AND t.typowner <> target
              AND t.typtype IN ('e', 'd', 'r', 'm')
          LOOP
            EXECUTE format('ALTER TYPE %%s OWNER TO %%I', object.name, target);
          END LOOP;
        END
        $$
        """
            .formatted(role.name(), role.schema()));
  }
}
