package teamchat.chatfront.rooms.boundary;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Set;
import teamchat.chatfront.ChatfrontApi;
import teamchat.chatfront.commands.boundary.CommandsSession;
import teamchat.chatfront.files.boundary.FilesResource;
import teamchat.chatfront.search.boundary.SearchResource;
import teamchat.chatfront.webhooks.boundary.SessionWebhooksResource;
import teamchat.contract.problems.ApiErrors;
import teamchat.contract.problems.InvalidRequestMapper;
import teamchat.contract.problems.MalformedRequestMapper;

/**
 * The JSON endpoints of the web app's own pages under {@code /session}, authenticated by the
 * session cookie (not by bearer tokens like {@code /api}). Routed by the public nginx.
 */
@ApplicationPath("/session")
public class BrowserApi extends Application {

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(
        SessionResource.class,
        DirectoryResource.class,
        SearchResource.class,
        FilesResource.class,
        SessionWebhooksResource.class,
        CommandsSession.class,
        ApiErrors.class,
        InvalidRequestMapper.class,
        MalformedRequestMapper.class);
  }

  @Override
  public Map<String, Object> getProperties() {
    return ChatfrontApi.PROPERTIES;
  }
}
