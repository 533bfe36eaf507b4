package teamchat.chatfront;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The internal REST API for chatserv, under {@code /api}. Never routed by the public nginx: only
 * chatserv, with a service token, calls it.
 */
@ApplicationPath("/api")
public class ChatfrontApi extends Application {}
