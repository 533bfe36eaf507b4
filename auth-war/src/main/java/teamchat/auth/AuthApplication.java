package teamchat.auth;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The auth service's JSON API, at the root of its context ({@code /auth}). */
@ApplicationPath("/")
public class AuthApplication extends Application {}
