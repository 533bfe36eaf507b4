package teamchat.chatfront.files.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import teamchat.chatfront.accounts.control.SignedInUser;
import teamchat.chatfront.files.control.FileSettings;
import teamchat.chatfront.files.control.FileStore;
import teamchat.contract.messages.AttachedFile;

/**
 * Downloads: {@code GET /files/<id>/<name>} the bytes, {@code GET /files/thumbnails/<id>} an
 * image's thumbnail (its own path, so that no file's name can stand for the thumbnail). Membership
 * of the file's room is checked on every request; anyone else gets 404, as for a file that does not
 * exist. The bytes are streamed one stored chunk at a time. Headers keep a browser from running
 * anything: nosniff, a sandboxing CSP, and {@code attachment} for all but the allowed images (SVG
 * and HTML are served as {@code application/octet-stream}).
 */
@WebServlet("/files/*")
public class FileDownloads extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private static final Pattern PATH =
      Pattern.compile("/(" + AttachedFile.ID_PATTERN + ")/[^/]{1,1024}");

  private static final Pattern THUMBNAIL_PATH =
      Pattern.compile("/thumbnails/(" + AttachedFile.ID_PATTERN + ")");

  @Inject SignedInUser user;
  @Inject FileStore files;
  @Inject FileSettings settings;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String pathInfo = Optional.ofNullable(request.getPathInfo()).orElse("");
    Matcher thumbnailPath = THUMBNAIL_PATH.matcher(pathInfo);
    Matcher path = thumbnailPath.matches() ? thumbnailPath : PATH.matcher(pathInfo);
    if (!path.matches() || !user.isSignedIn()) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    UUID id = UUID.fromString(path.group(1));
    boolean thumb = path == thumbnailPath;
    try {
      Optional<FileStore.Readable> readable = files.readable(user.subject(), id);
      if (readable.isEmpty()) {
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
        return;
      }
      FileStore.Readable file = readable.get();
      if (thumb) {
        Optional<byte[]> bytes =
            file.thumbnailType() == null ? Optional.empty() : files.thumbnail(id);
        if (bytes.isEmpty()) {
          response.sendError(HttpServletResponse.SC_NOT_FOUND);
          return;
        }
        headers(response, file.thumbnailType(), true, "thumbnail", bytes.get().length);
        response.getOutputStream().write(bytes.get());
        return;
      }
      boolean inline = settings.types().isInline(file.type());
      headers(
          response,
          inline ? file.type() : settings.types().servedType(file.type()),
          inline,
          file.name(),
          file.size());
      files.copy(id, response.getOutputStream());
    } catch (SQLException e) {
      throw new IOException("reading file " + id + " failed", e);
    }
  }

  private static void headers(
      HttpServletResponse response, String type, boolean inline, String name, long length) {
    response.setContentType(type);
    response.setContentLengthLong(length);
    response.setHeader("X-Content-Type-Options", "nosniff");
    // Opened on its own, a file is a sandboxed document that may load nothing, run nothing.
    response.setHeader("Content-Security-Policy", "sandbox; default-src 'none'");
    response.setHeader(
        "Content-Disposition",
        (inline ? "inline" : "attachment")
            + "; filename*=UTF-8''"
            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    // A file's id never names other bytes; private: only the browser that was let in keeps it.
    response.setHeader("Cache-Control", "private, max-age=31536000, immutable");
  }
}
