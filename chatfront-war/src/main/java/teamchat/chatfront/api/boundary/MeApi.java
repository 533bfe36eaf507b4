package teamchat.chatfront.api.boundary;

import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;
import java.util.List;
import teamchat.chatfront.api.control.TokenHolder;
import teamchat.chatfront.users.control.People;

/**
 * Who the token speaks for, and what it may do: a script's first call, to check its token (the
 * answer of {@code GET /api/v1/me}).
 */
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class MeApi {

  @Inject People people;
  @Context SecurityContext security;

  /** The token's holder (their display name as chat knows it) and the token's scopes and expiry. */
  public record Me(
      String subject,
      String username,
      @JsonbProperty("display_name") String displayName,
      List<String> scopes,
      @JsonbProperty("token_expires_at") Instant tokenExpiresAt) {}

  @GET
  @RequiresScope(RequiresScope.READ)
  public Me me() {
    TokenHolder holder = ((PersonalTokenPolicy.Caller) security.getUserPrincipal()).holder();
    String displayName =
        people
            .bySubject(holder.subject())
            .map(person -> person.displayName())
            .orElse(holder.username());
    return new Me(
        holder.subject(),
        holder.username(),
        displayName,
        holder.scopes().stream().sorted().toList(),
        holder.expires());
  }
}
