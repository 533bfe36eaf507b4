package teamchat.chatfront.api.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a personal access token needs for a public API method ({@link PersonalTokenPolicy}
 * refuses a method without it: nothing is open by omission).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresScope {

  String READ = "read";
  String WRITE = "write";

  /** Managing the rooms one owns (topic, archive, members removed, integrations). */
  String ADMIN = "admin";

  String value();
}
