package teamchat.tokentestkit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Stands in for auth in the verifiers' tests: a test-only RSA key, minted tokens, and the two
 * resources verifiers read from auth ({@code /auth/.well-known/jwks.json} and {@code
 * /auth/revocations}), served on 127.0.0.1. It also serves a foreign key set under {@code
 * /foreign/}, for forged tokens that point there.
 */
public final class TestAuthority implements AutoCloseable {

  public static final String ISSUER = "teamchat-auth";
  public static final String AUDIENCE = "teamchat";

  private final RSAKey key;
  private final RSAKey foreignKey;
  private final HttpServer server;
  private final Set<String> revokedSessions = ConcurrentHashMap.newKeySet();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();

  private TestAuthority(int port) throws IOException, JOSEException {
    key =
        new RSAKeyGenerator(2048)
            .keyID("test-key-" + UUID.randomUUID())
            .algorithm(JWSAlgorithm.RS256)
            .generate();
    foreignKey =
        new RSAKeyGenerator(2048).keyID("foreign-key").algorithm(JWSAlgorithm.RS256).generate();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext(
        "/auth/.well-known/jwks.json",
        exchange -> send(exchange, new JWKSet(key.toPublicJWK()).toString()));
    server.createContext(
        "/auth/revocations",
        exchange ->
            send(
                exchange,
                revokedSessions.stream()
                    .map(sid -> "\"" + sid + "\"")
                    .collect(Collectors.joining(",", "{\"revoked_sessions\":[", "]}"))));
    server.createContext("/auth/tokens", this::tokens);
    server.createContext(
        "/foreign/jwks.json",
        exchange -> send(exchange, new JWKSet(foreignKey.toPublicJWK()).toString()));
    server.start();
  }

  /**
   * Starts serving on {@code port} of 127.0.0.1 (the build reserves it as teamchat.test.auth.port).
   */
  public static TestAuthority start(int port) {
    try {
      return new TestAuthority(port);
    } catch (IOException | JOSEException e) {
      throw new IllegalStateException("could not start the test token authority", e);
    }
  }

  /** Starts on the port the build reserved. */
  public static TestAuthority startOnReservedPort() {
    return start(Integer.parseInt(System.getProperty("teamchat.test.auth.port")));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** A valid access token for a person with a fresh session. */
  public String userToken(String subject, String username) {
    return token(
        claims ->
            claims
                .subject(subject)
                .claim("upn", username)
                .claim("sid", UUID.randomUUID().toString()));
  }

  /**
   * A token of auth's that claims a service's group (as auth's service tokens did): every verifier
   * must refuse it, since a service's power comes only from its own assertion ({@link
   * TestServiceKey}).
   */
  public String serviceGroupToken(String clientId) {
    return token(
        claims ->
            claims
                .subject(clientId)
                .claim("upn", clientId)
                .claim("groups", List.of("chat-service")));
  }

  /** A token signed with the test key: valid defaults, changed by {@code adjust}. */
  public String token(Consumer<JWTClaimsSet.Builder> adjust) {
    return remember(sign(key, header(key.getKeyID()).build(), claims(adjust)));
  }

  /** Every token this authority handed out, valid or forged: what no server log may contain. */
  public Set<String> issued() {
    return Set.copyOf(issued);
  }

  String remember(String token) {
    issued.add(token);
    return token;
  }

  /**
   * An account that can sign in through this authority's {@code POST /auth/tokens} (what a web
   * app's sign-in form calls), so that tests can drive pages as a signed-in person. Returns the
   * account's subject.
   */
  public String account(String username, String displayName, String password) {
    String subject = "u-" + UUID.randomUUID();
    accounts.put(
        username.toLowerCase(Locale.ROOT), new Account(subject, username, displayName, password));
    return subject;
  }

  private record Account(String subject, String username, String displayName, String password) {}

  private final Map<String, Account> accounts = new ConcurrentHashMap<>();

  /**
   * auth's sign-in (password grant) for the accounts above; refresh is refused, revoke is a no-op.
   */
  private void tokens(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path.equals("/auth/tokens/introspect")) {
      introspect(exchange);
      return;
    }
    if (path.endsWith("/revoke")) {
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
      return;
    }
    Account account = null;
    if (path.equals("/auth/tokens")) {
      try {
        var body =
            JSONObjectUtils.parse(
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Account known = accounts.get(String.valueOf(body.get("username")).toLowerCase(Locale.ROOT));
        if (known != null && known.password().equals(body.get("password"))) {
          account = known;
        }
      } catch (ParseException unreadable) {
        account = null;
      }
    }
    if (account == null) {
      send(
          exchange,
          401,
          "{\"code\":\"invalid_credentials\",\"message\":\"Wrong username or password.\"}");
      return;
    }
    Account signedIn = account;
    String access =
        token(
            claims ->
                claims
                    .subject(signedIn.subject())
                    .claim("upn", signedIn.username())
                    .claim("name", signedIn.displayName())
                    .claim("sid", UUID.randomUUID().toString()));
    send(
        exchange,
        200,
        "{\"access_token\":\""
            + access
            + "\",\"expires_in\":300,\"refresh_token\":\""
            + remember("refresh-" + UUID.randomUUID())
            + "\"}");
  }

  // ---- personal access tokens (auth's RFC 7662 introspection, docs/api.md)

  /** {@code name} and {@code botOwner}: a bot's token only (auth's V5), null for a person's. */
  private record PersonalToken(
      String subject,
      String username,
      String scope,
      Instant expires,
      String name,
      String botOwner) {}

  private final Map<String, PersonalToken> personalTokens = new ConcurrentHashMap<>();
  private final List<String> introspectionCallers =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean introspectionDown;

  /**
   * A personal access token as auth makes them ({@code tcp_} and 43 base64url characters), active
   * for an hour with these scopes ({@code read}, {@code write}) until {@link #revokePersonalToken}.
   */
  public String personalToken(String subject, String username, String... scopes) {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    String token =
        remember("tcp_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    personalTokens.put(
        token,
        new PersonalToken(
            subject,
            username,
            String.join(" ", scopes),
            Instant.now().plus(Duration.ofHours(1)),
            null,
            null));
    return token;
  }

  /**
   * A bot account's token, as {@link #personalToken} but answered as auth answers for a bot: with
   * its display name ({@code name}) and its owner's subject ({@code bot_owner}).
   */
  public String botToken(
      String subject, String username, String displayName, String ownerSubject, String... scopes) {
    String token = personalToken(subject, username, scopes);
    personalTokens.computeIfPresent(
        token,
        (key, made) ->
            new PersonalToken(
                subject, username, made.scope(), made.expires(), displayName, ownerSubject));
    return token;
  }

  public void revokePersonalToken(String token) {
    personalTokens.remove(token);
  }

  /** While true, introspection answers 503, as an auth that is down behind a proxy would. */
  public void introspectionDown(boolean down) {
    introspectionDown = down;
  }

  /** The bearer of every introspection request so far, in order (chatfront's assertions). */
  public List<String> introspectionCallers() {
    return List.copyOf(introspectionCallers);
  }

  private void introspect(HttpExchange exchange) throws IOException {
    String bearer = exchange.getRequestHeaders().getFirst("Authorization");
    introspectionCallers.add(bearer == null ? "" : bearer.replaceFirst("^Bearer ", ""));
    if (introspectionDown) {
      send(exchange, 503, "{\"code\":\"unavailable\",\"message\":\"Down.\"}");
      return;
    }
    if (bearer == null || !bearer.startsWith("Bearer ")) {
      send(exchange, 401, "{\"code\":\"caller_invalid\",\"message\":\"No.\"}");
      return;
    }
    String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String token = null;
    for (String pair : form.split("&")) {
      if (pair.startsWith("token=")) {
        token = java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
      }
    }
    PersonalToken known = token == null ? null : personalTokens.get(token);
    if (known == null) {
      send(exchange, 200, "{\"active\":false}");
      return;
    }
    send(
        exchange,
        200,
        "{\"active\":true,\"scope\":\""
            + known.scope()
            + "\",\"sub\":\""
            + known.subject()
            + "\",\"username\":\""
            + known.username()
            + (known.botOwner() == null
                ? ""
                : "\",\"name\":\"" + known.name() + "\",\"bot_owner\":\"" + known.botOwner())
            + "\",\"exp\":"
            + known.expires().getEpochSecond()
            + ",\"token_type\":\"Bearer\"}");
  }

  /** Revokes a session, as auth's logout does; verifiers see it at their next poll. */
  public void revoke(String sid) {
    revokedSessions.add(sid);
  }

  RSAKey key() {
    return key;
  }

  RSAKey foreignKey() {
    return foreignKey;
  }

  String foreignJwksUrl() {
    return "http://127.0.0.1:" + port() + "/foreign/jwks.json";
  }

  static JWSHeader.Builder header(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT);
  }

  static JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> adjust) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(UUID.randomUUID().toString())
            .claim("upn", "tester")
            .claim("groups", List.of("user"))
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
    adjust.accept(claims);
    return claims.build();
  }

  static String sign(RSAKey with, JWSHeader header, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(with));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static void send(HttpExchange exchange, String json) throws IOException {
    send(exchange, 200, json);
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
