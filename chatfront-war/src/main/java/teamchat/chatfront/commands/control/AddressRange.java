package teamchat.chatfront.commands.control;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR range of IPv4 or IPv6 addresses ({@code 10.0.0.0/8}, {@code fc00::/7}). */
record AddressRange(byte[] network, int prefix) {

  /** Parses {@code address/prefix}, or a single address (the whole width). Literals only. */
  static AddressRange parse(String cidr) {
    String text = cidr.strip();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    if (!address.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an address literal: " + cidr);
    }
    byte[] network;
    try {
      network = InetAddress.getByName(address).getAddress();
      if (network.length == 4 && address.indexOf(':') >= 0) {
        // Java reads ::ffff:a.b.c.d as the IPv4 address; a range of them is kept as written.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(network, 0, mapped, 12, 4);
        network = mapped;
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address literal: " + cidr, e);
    }
    int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException("prefix out of range: " + cidr);
    }
    return new AddressRange(network, prefix);
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
