package teamchat.database.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class DatabaseReadinessTest {

  @Test
  void upWhileTheDatabaseAnswers() {
    DatabaseReadiness cut = new DatabaseReadiness();
    cut.dataSource = dataSource(() -> connection(true));
    assertEquals(HealthCheckResponse.Status.UP, cut.call().getStatus());
  }

  @Test
  void downWhenTheConnectionIsNoLongerValid() {
    DatabaseReadiness cut = new DatabaseReadiness();
    cut.dataSource = dataSource(() -> connection(false));
    assertEquals(HealthCheckResponse.Status.DOWN, cut.call().getStatus());
  }

  @Test
  void downWithOnlyTheSqlStateWhenNoConnectionCanBeHad() {
    DatabaseReadiness cut = new DatabaseReadiness();
    cut.dataSource =
        dataSource(
            () -> {
              throw new SQLException("password authentication failed for user \"chat\"", "28P01");
            });
    HealthCheckResponse response = cut.call();
    assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
    Map<String, Object> data = response.getData().orElseThrow();
    assertEquals("28P01", data.get("error"));
    assertFalse(data.toString().contains("chat"), "no user or host names in the health report");
  }

  interface ConnectionSource {
    Connection get() throws SQLException;
  }

  private static DataSource dataSource(ConnectionSource connections) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getConnection")) {
                return connections.get();
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static Connection connection(boolean valid) {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "isValid" -> valid;
                  case "close" -> null;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
