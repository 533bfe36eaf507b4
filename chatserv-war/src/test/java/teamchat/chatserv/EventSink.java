package teamchat.chatserv;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** A CDI event outside the container: {@code fire} hands the event to one observer, at once. */
public final class EventSink<T> implements Event<T> {

  private final Consumer<T> observer;

  public EventSink(Consumer<T> observer) {
    this.observer = observer;
  }

  @Override
  public void fire(T event) {
    observer.accept(event);
  }

  @Override
  public <U extends T> CompletionStage<U> fireAsync(U event) {
    throw new UnsupportedOperationException("synchronous events only");
  }

  @Override
  public <U extends T> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
    throw new UnsupportedOperationException("synchronous events only");
  }

  @Override
  public Event<T> select(Annotation... qualifiers) {
    return this;
  }

  @Override
  public <U extends T> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
    throw new UnsupportedOperationException("no subtypes");
  }

  @Override
  public <U extends T> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
    throw new UnsupportedOperationException("no subtypes");
  }
}
