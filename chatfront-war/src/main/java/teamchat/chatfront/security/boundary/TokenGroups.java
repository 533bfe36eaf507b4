package teamchat.chatfront.security.boundary;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Which token groups may call an {@code /api} resource (any one of them), checked by {@link
 * TokenPolicy}; on a method it replaces its class's. Not {@code @RolesAllowed}: Payara enforces
 * that itself through the web container's realm, which knows nothing of the contract's verifier,
 * answers 401 to every valid token and logs a warning for every request with a bearer token, pages
 * included.
 */
@Documented
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface TokenGroups {
  String[] value();
}
