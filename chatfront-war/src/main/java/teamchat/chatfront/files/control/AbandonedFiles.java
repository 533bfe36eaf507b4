package teamchat.chatfront.files.control;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Removes files uploaded but never sent (a page closed between the upload and the send) once they
 * are a day old, every hour. Each chatfront instance runs it; the delete is the same on all.
 */
@Singleton
public class AbandonedFiles {

  private static final Logger LOG = Logger.getLogger(AbandonedFiles.class.getName());

  @Inject FileStore files;

  @Schedule(hour = "*", minute = "17", persistent = false)
  void removeAbandoned() {
    try {
      int removed = files.removeAbandoned();
      if (removed > 0) {
        LOG.log(Level.INFO, "removed {0} files never attached to a message", removed);
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "removing abandoned files failed; next hour again", e);
    }
  }
}
