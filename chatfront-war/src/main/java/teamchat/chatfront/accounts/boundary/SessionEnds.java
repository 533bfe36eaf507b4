package teamchat.chatfront.accounts.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import teamchat.chatfront.accounts.control.SessionsPerAddress;
import teamchat.chatfront.accounts.control.SessionsPerUser;

/** Tells the session bounds when a web session ends, however it ends. */
@WebListener
public class SessionEnds implements HttpSessionListener {

  @Inject SessionsPerUser sessions;
  @Inject SessionsPerAddress sessionsPerAddress;

  @Override
  public void sessionDestroyed(HttpSessionEvent event) {
    sessions.ended(event.getSession());
    sessionsPerAddress.ended(event.getSession());
  }
}
