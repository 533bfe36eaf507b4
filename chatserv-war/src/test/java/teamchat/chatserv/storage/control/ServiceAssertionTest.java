package teamchat.chatserv.storage.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import teamchat.contract.tokens.AccessTokenVerifier;
import teamchat.contract.tokens.ServiceAssertionSigner;
import teamchat.contract.tokens.ServiceAssertionVerifier;
import teamchat.tokentestkit.TestServiceKey;

/**
 * chatserv's credentials for chatfront come from its own key, on every request its Rest Clients
 * send, and from nowhere else: no auth is involved (auth.url is not even set here).
 */
class ServiceAssertionTest {

  @TempDir Path keys;

  private ServiceAssertion bean(Path keyFile) {
    ServiceAssertion bean = new ServiceAssertion();
    bean.keyFile = keyFile.toString();
    bean.issuer = "chatserv";
    bean.audience = "chatfront";
    bean.lifetime = Duration.ofMinutes(5);
    bean.build();
    return bean;
  }

  private static String bearerOf(ServiceAssertion bean) throws Exception {
    MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
    ClientRequestContext request =
        (ClientRequestContext)
            Proxy.newProxyInstance(
                ClientRequestContext.class.getClassLoader(),
                new Class<?>[] {ClientRequestContext.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getHeaders")) {
                    return headers;
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    bean.bearer().filter(request);
    return (String) headers.getFirst("Authorization");
  }

  @Test
  void everyRequestCarriesAnAssertionChatfrontAcceptsUnderTheKeysPublicHalf() throws Exception {
    TestServiceKey key = TestServiceKey.writeTo(keys);
    ServiceAssertion bean = bean(key.privateKeyFile());
    String header = bearerOf(bean);
    assertTrue(header.startsWith("Bearer "), header);
    AccessTokenVerifier.Verified caller =
        new ServiceAssertionVerifier(
                key.publicKeyFile(),
                "chatserv",
                "chatfront",
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                Clock.systemUTC())
            .verify(header.substring("Bearer ".length()));
    assertEquals("chatserv", caller.subject());
    assertEquals(header, bearerOf(bean), "one assertion serves until half its life is gone");
    bean.refused();
    assertNotEquals(header, bearerOf(bean), "refused by chatfront: the next call signs anew");
  }

  @Test
  void withoutItsKeyNothingIsSent() {
    ServiceAssertion bean = bean(keys.resolve("missing.key"));
    assertThrows(ServiceAssertionSigner.Unavailable.class, () -> bearerOf(bean));
  }
}
