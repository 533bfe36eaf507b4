package teamchat.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the services listen. Payara Micro listens on every interface unless its HTTP listener is
 * given an address; a development stack has no business on the network, so {@code ./chat up} gives
 * each service one more pre-boot command file (run after the one baked into the uber-jar) that sets
 * {@code CHAT_BIND_ADDRESS}, 127.0.0.1 by default. The VMs keep listening on every interface: there
 * the firewall and nginx are in front (docs/deploy.md).
 */
final class ListenAddress {

  private ListenAddress() {}

  /** Writes the command file into {@code dataDirectory} and returns the options that load it. */
  static List<String> payaraArguments(Settings settings, Path dataDirectory) throws IOException {
    Path file = dataDirectory.resolve("payara/listen-address.asadmin");
    Files.createDirectories(file.getParent());
    Files.write(
        file,
        List.of(
            "# Written by ./chat up at every start (CHAT_BIND_ADDRESS): where the services listen.",
            "set configs.config.server-config.network-config.network-listeners.network-listener"
                + ".http-listener.address="
                + settings.bindAddress()),
        StandardCharsets.UTF_8);
    return List.of("--prebootcommandfile", file.toString());
  }
}
