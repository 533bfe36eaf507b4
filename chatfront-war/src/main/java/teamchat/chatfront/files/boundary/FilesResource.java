package teamchat.chatfront.files.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.files.control.FileStore;
import teamchat.contract.messages.AttachedFile;
import teamchat.contract.problems.Refused;

/**
 * Uploads of the chat page: {@code POST /session/files?room=..&name=..} with the file's bytes as
 * the body (not multipart, so that the page shows upload progress and nothing is buffered to parse
 * parts). The body's Content-Type is ignored: the type is sniffed from the bytes. The answer is the
 * pending file, which the page then names in the {@code files} of its {@code send} frame.
 */
@Path("files")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class FilesResource {

  /** The CSRF marker of the page's requests that change something (see SessionResource). */
  static final String CSRF_HEADER = "X-Chat-Request";

  @Inject SignedInUser user;
  @Inject FileStore files;

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response upload(
      @HeaderParam(CSRF_HEADER) String marker,
      @HeaderParam("Content-Length") Long declaredLength,
      @QueryParam("room") @NotNull @Positive Long room,
      @QueryParam("name") @NotNull @Size(max = 1024) String name,
      InputStream body)
      throws Refused, SQLException, IOException {
    if (!"1".equals(marker)) {
      throw new Refused(
          Response.Status.FORBIDDEN, "csrf_marker_missing", CSRF_HEADER + ": 1 is required.");
    }
    if (declaredLength != null) {
      files.checkDeclaredLength(declaredLength);
    }
    AttachedFile file =
        files.upload(user.subject(), room, name, declaredLength == null ? 0 : declaredLength, body);
    return Response.status(Response.Status.CREATED)
        .entity(file)
        .header("Cache-Control", "no-store")
        .build();
  }
}
