package teamchat.chatserv;

import com.hazelcast.core.HazelcastInstance;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * A real Hazelcast member seen through a door that can be made to hang: once {@link #hang} is
 * called, every call into Hazelcast through it (the member, and the maps, topics and the rest that
 * it hands out) waits until {@link #answer}, as calls of a member do while its cluster splits and
 * merges. For tests that the threads of the message path never wait for the grid.
 */
public final class HungGrid {

  private volatile CountDownLatch hung = new CountDownLatch(0);

  /** The member, through this door. */
  public final HazelcastInstance member;

  public HungGrid(HazelcastInstance real) {
    this.member = wrap(HazelcastInstance.class, real);
  }

  /** From now on every call waits. */
  public void hang() {
    hung = new CountDownLatch(1);
  }

  /** The waiting calls go on, and new ones no longer wait. */
  public void answer() {
    hung.countDown();
  }

  private <T> T wrap(Class<T> type, Object real) {
    InvocationHandler handler =
        (proxy, method, arguments) -> {
          hung.await();
          Object result;
          try {
            result = method.invoke(real, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          Class<?> returned = method.getReturnType();
          if (result != null
              && returned.isInterface()
              && returned.getName().startsWith("com.hazelcast.")) {
            return wrap(returned, result);
          }
          return result;
        };
    return type.cast(
        Proxy.newProxyInstance(HungGrid.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}
