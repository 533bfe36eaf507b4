package teamchat.chatfront.rooms.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import teamchat.chatfront.rooms.entity.DirectGroup;
import teamchat.chatfront.rooms.entity.DirectRoom;
import teamchat.chatfront.rooms.entity.Membership;
import teamchat.chatfront.rooms.entity.Role;
import teamchat.chatfront.rooms.entity.Room;
import teamchat.chatfront.rooms.entity.Visibility;
import teamchat.chatfront.users.control.People;
import teamchat.chatfront.users.entity.ChatUser;
import teamchat.chatfront.web.FormInput;
import teamchat.contract.messages.RoomMembership;
import teamchat.contract.problems.Refused;
import teamchat.database.control.SqlStates;

/**
 * What people do with rooms: create, join, leave, invite, talk directly; and what owners do: the
 * topic, archive, removing someone. Every action checks the acting user's membership and role here,
 * whatever page or request it comes from, and every read of memberships (the pages', chatserv's) is
 * here too. Reads and writes go through JPA and the entities' named queries; native SQL only where
 * PostgreSQL's own SQL is the point (said where).
 */
@ApplicationScoped
public class Rooms {

  private static final int MAX_NAME = 64;
  private static final int MAX_TOPIC = 256;

  /** The most public rooms the rooms page lists. */
  private static final int MAX_PUBLIC_ROOMS = 200;

  /** The most people in a direct conversation, its starter included (Slack's group DMs: 9). */
  public static final int MAX_CONVERSATION = 8;

  /** The most usernames one request may name: room for repeats, never an unbounded list. */
  private static final int MAX_NAMED = 2 * MAX_CONVERSATION;

  @PersistenceContext(unitName = "chat")
  EntityManager em;

  @Inject People people;

  private static final Counts NONE = new Counts(0, 0);

  /** A membership with its room: a row of {@link Membership#LIST_BY_SUBJECT}. */
  private record Joined(Membership membership, Room room) {}

  /**
   * The rooms someone belongs to, rooms first, then direct conversations titled with the other
   * people's names ("Ana, Bob, Cy").
   */
  public List<RoomSummary> roomsOf(String subject) {
    List<Joined> joined = joined(subject);
    Map<Long, Counts> counts = counts(subject);
    Map<Long, String> otherPeople =
        otherPeopleIn(
            joined.stream().map(Joined::room).filter(Room::isDirect).map(Room::id).toList(),
            subject);
    return joined.stream()
        .map(
            row ->
                new RoomSummary(
                    row.room().id(),
                    row.room().isDirect()
                        ? otherPeople.getOrDefault(row.room().id(), "(nobody)")
                        : row.room().name(),
                    row.room().topic(),
                    row.room().visibility(),
                    row.membership().role(),
                    counts.getOrDefault(row.room().id(), NONE).unread(),
                    counts.getOrDefault(row.room().id(), NONE).mentions(),
                    row.room().lastSeq(),
                    row.membership().lastReadSeq(),
                    row.membership().muted(),
                    row.room().isArchived()))
        // Rooms by name, then direct conversations by title: the sidebar's two sections.
        .sorted(
            Comparator.comparing(RoomSummary::direct)
                .thenComparing(
                    summary -> summary.direct() ? summary.title().toLowerCase(Locale.ROOT) : ""))
        .toList();
  }

  /** Someone's counts in one room: messages after their read marker, and those mentioning them. */
  private record Counts(long unread, long mentions) {}

  /**
   * In each of someone's rooms, the messages after their read marker that are news to them
   * (another's, not deleted; edits, deletes and reactions are changes, not news), and those of them
   * that mention them by name ({@code chat.mention}) or the whole room ({@code @room}). One native
   * query (PostgreSQL's {@code LATERAL} and {@code FILTER}): one walk of each room's unread range.
   */
  private Map<Long, Counts> counts(String subject) {
    Map<Long, Counts> counts = new HashMap<>();
    List<?> rows =
        em.createNativeQuery(
                "SELECT ms.room_id, c.unread, c.mentions FROM chat.chat_user u"
                    + " JOIN chat.membership ms ON ms.user_id = u.id"
                    + " CROSS JOIN LATERAL (SELECT count(*) AS unread, count(*) FILTER (WHERE"
                    + "   m.mentions_room OR EXISTS (SELECT 1 FROM chat.mention x"
                    + "   WHERE x.message_id = m.id AND x.user_id = u.id)) AS mentions"
                    + "   FROM chat.message m WHERE m.room_id = ms.room_id"
                    + "   AND m.seq > ms.last_read_seq AND m.kind = 'message'"
                    + "   AND m.deleted_at IS NULL AND m.sender_id <> u.id) c"
                    + " WHERE u.subject = ?1")
            .setParameter(1, subject)
            .getResultList();
    for (Object row : rows) {
      Object[] columns = (Object[]) row;
      counts.put(
          ((Number) columns[0]).longValue(),
          new Counts(((Number) columns[1]).longValue(), ((Number) columns[2]).longValue()));
    }
    return counts;
  }

  /** The rooms someone belongs to, as chatserv reads them. */
  public List<RoomMembership> membershipsOf(String subject) {
    return joined(subject).stream()
        .map(
            row ->
                new RoomMembership(
                    row.room().id(),
                    row.room().name(),
                    row.membership().role().word(),
                    row.room().lastSeq(),
                    row.membership().lastReadSeq()))
        .toList();
  }

  /** Public rooms someone could join. */
  public List<Room> publicRoomsToJoin(String subject) {
    return em.createNamedQuery(Room.LIST_PUBLIC_NOT_JOINED, Room.class)
        .setParameter("visibility", Visibility.PUBLIC)
        .setParameter("subject", subject)
        .setMaxResults(MAX_PUBLIC_ROOMS)
        .getResultList();
  }

  /** Creates a public or private room; its creator is its owner. */
  @Transactional(rollbackOn = Refused.class)
  public Room create(String subject, String name, String topic, boolean isPublic) throws Refused {
    String cleanName = FormInput.clean(name);
    String cleanTopic = topic == null ? "" : FormInput.clean(topic);
    Optional<String> problem = FormInput.textProblem("A room name", cleanName, 1, MAX_NAME);
    if (problem.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, "room_name_invalid", problem.get());
    }
    problem = FormInput.textProblem("A topic", cleanTopic, 0, MAX_TOPIC);
    if (problem.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, "room_topic_invalid", problem.get());
    }
    ChatUser creator = user(subject);
    if (nameTaken(cleanName)) {
      throw new Refused(
          Status.CONFLICT, "room_name_taken", "There is already a room called " + cleanName + ".");
    }
    Room room = new Room(cleanName, cleanTopic, isPublic ? Visibility.PUBLIC : Visibility.PRIVATE);
    try {
      em.persist(room);
      em.flush();
    } catch (PersistenceException raced) {
      if (!SqlStates.isUniqueViolation(raced)) {
        throw raced;
      }
      // Someone created the same name between our check and our insert (unique index).
      throw new Refused(
          Status.CONFLICT, "room_name_taken", "There is already a room called " + cleanName + ".");
    }
    em.persist(new Membership(room.id(), creator.id(), Role.OWNER));
    return room;
  }

  /** Joins a public room; joining twice is harmless. */
  @Transactional(rollbackOn = Refused.class)
  public void join(String subject, long roomId) throws Refused {
    Room room = em.find(Room.class, roomId);
    if (room == null || !room.isPublic()) {
      throw new Refused(
          Status.NOT_FOUND, "room_not_found", "There is no public room with that id.");
    }
    refuseArchived(room);
    ChatUser user = user(subject);
    addMember(room.id(), user.id(), Role.MEMBER);
  }

  /**
   * Leaves a room. When its last owner leaves, the longest-standing member becomes owner, so that a
   * private room never ends up with no one who can invite. Direct conversations cannot be left.
   */
  @Transactional(rollbackOn = Refused.class)
  public void leave(String subject, long roomId) throws Refused {
    Membership membership = membershipOf(subject, roomId).orElseThrow(Rooms::notAMember);
    Room room = em.find(Room.class, roomId, LockModeType.PESSIMISTIC_WRITE);
    if (room.isDirect()) {
      throw new Refused(Status.CONFLICT, "direct_room", "A direct conversation cannot be left.");
    }
    em.remove(membership);
    em.flush();
    long owners =
        em.createNamedQuery(Membership.COUNT_BY_ROLE, Long.class)
            .setParameter("room", roomId)
            .setParameter("role", Role.OWNER)
            .getSingleResult();
    if (owners == 0) {
      em.createNamedQuery(Membership.LIST_BY_ROOM_LONGEST_FIRST, Membership.class)
          .setParameter("room", roomId)
          .setMaxResults(1)
          .getResultStream()
          .findFirst()
          .ifPresent(Membership::makeOwner);
    }
  }

  /** An owner adds someone to a private room (or anyone to a public one), by username. */
  @Transactional(rollbackOn = Refused.class)
  public void invite(String subject, long roomId, String username) throws Refused {
    Membership inviter = membershipOf(subject, roomId).orElseThrow(Rooms::notAMember);
    Room room = em.find(Room.class, roomId);
    if (room.isDirect()) {
      throw new Refused(
          Status.CONFLICT,
          "direct_room",
          "A direct conversation keeps the people it started with: start a new one to add someone.");
    }
    if (!room.isPublic() && !inviter.isOwner()) {
      throw new Refused(
          Status.FORBIDDEN, "not_an_owner", "Only an owner of a private room can invite.");
    }
    refuseArchived(room);
    ChatUser invitee = person(username);
    addMember(roomId, invitee.id(), Role.MEMBER);
  }

  /**
   * An owner changes the topic of a room (not of a direct conversation), bounded as when the room
   * is made: at most {@value #MAX_TOPIC} characters, empty for none.
   */
  @Transactional(rollbackOn = Refused.class)
  public Room changeTopic(String subject, long roomId, String topic) throws Refused {
    Room room = ownedRoom(subject, roomId);
    String cleanTopic = topic == null ? "" : FormInput.clean(topic);
    Optional<String> problem = FormInput.textProblem("A topic", cleanTopic, 0, MAX_TOPIC);
    if (problem.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, "room_topic_invalid", problem.get());
    }
    refuseArchived(room);
    room.changeTopic(cleanTopic);
    return room;
  }

  /**
   * An owner archives a room or takes it out of the archive. An archived room keeps its members and
   * history, readable as before, but takes no new entries ({@code MessageStore} refuses them with
   * {@code room_archived}), invitations, joins or topic. Doing it twice is harmless.
   */
  @Transactional(rollbackOn = Refused.class)
  public Room archive(String subject, long roomId, boolean archived) throws Refused {
    // Locked as MessageStore locks it: a batch that stores into the room is before or after this.
    Room room = ownedRoom(subject, roomId);
    em.lock(room, LockModeType.PESSIMISTIC_WRITE);
    em.refresh(room);
    room.archive(archived);
    return room;
  }

  /**
   * An owner removes someone from a room (not a direct conversation), by username; chatserv's feed
   * of membership changes records it as {@code removed} (V3's trigger reads the transaction's
   * {@code chat.membership_change_kind}). Removing oneself is leaving ({@link #leave}).
   */
  @Transactional(rollbackOn = Refused.class)
  public void remove(String subject, long roomId, String username) throws Refused {
    ownedRoom(subject, roomId);
    ChatUser removed = person(username);
    if (removed.subject().equals(subject)) {
      throw new Refused(
          Status.CONFLICT, "remove_self", "To take yourself out of a room, leave it.");
    }
    Membership membership =
        membershipOf(removed.subject(), roomId)
            .orElseThrow(
                () ->
                    new Refused(
                        Status.NOT_FOUND,
                        "not_a_member",
                        removed.username() + " is not in this room."));
    // Native SQL: PostgreSQL's transaction-local setting, read by the trigger of this delete.
    em.createNativeQuery("SELECT set_config('chat.membership_change_kind', 'removed', true)")
        .getSingleResult();
    em.remove(membership);
    em.flush();
  }

  /** A room (no direct conversation) of which the person is an owner. */
  private Room ownedRoom(String subject, long roomId) throws Refused {
    Membership membership = membershipOf(subject, roomId).orElseThrow(Rooms::notAMember);
    Room room = em.find(Room.class, roomId);
    if (room.isDirect()) {
      throw new Refused(
          Status.CONFLICT, "direct_room", "A direct conversation has no owner to manage it.");
    }
    if (!membership.isOwner()) {
      throw new Refused(Status.FORBIDDEN, "not_an_owner", "Only an owner of the room can do that.");
    }
    return room;
  }

  private static void refuseArchived(Room room) throws Refused {
    if (room.isArchived()) {
      throw new Refused(
          Status.FORBIDDEN,
          "room_archived",
          "The room is archived: its history can be read, but nothing can be added.");
    }
  }

  /** The direct conversation of two people, made on first use. */
  @Transactional(rollbackOn = Refused.class)
  public long direct(String subject, String otherUsername) throws Refused {
    ChatUser me = user(subject);
    ChatUser other = person(otherUsername);
    if (other.id().equals(me.id())) {
      throw new Refused(
          Status.BAD_REQUEST, "direct_to_self", "A direct conversation needs someone else.");
    }
    // Serialise the first conversation of a pair on the lower user's row: two people who start
    // it at the same moment get the same room, not two.
    em.find(ChatUser.class, Math.min(me.id(), other.id()), LockModeType.PESSIMISTIC_WRITE);
    DirectRoom existing = em.find(DirectRoom.class, DirectRoom.pair(me.id(), other.id()));
    if (existing != null) {
      return existing.roomId();
    }
    Room room = new Room("direct", "", Visibility.DIRECT);
    em.persist(room);
    em.flush();
    em.persist(new DirectRoom(me.id(), other.id(), room.id()));
    em.persist(new Membership(room.id(), me.id(), Role.MEMBER));
    em.persist(new Membership(room.id(), other.id(), Role.MEMBER));
    return room.id();
  }

  /**
   * The direct conversation of the starter and the people named (one to seven others, so two to
   * eight people in all), made on first use. The same people always find the same conversation,
   * whoever starts it and in whatever order the names come; a name given twice, or the starter's
   * own, counts once. Its members are fixed: no one is invited into it and no one leaves it.
   */
  @Transactional(rollbackOn = Refused.class)
  public long conversation(String subject, List<String> usernames) throws Refused {
    if (usernames == null || usernames.isEmpty()) {
      throw new Refused(Status.BAD_REQUEST, "nobody_chosen", "Choose at least one person.");
    }
    if (usernames.size() > MAX_NAMED) {
      throw tooMany();
    }
    ChatUser me = user(subject);
    Map<Long, ChatUser> chosen = new TreeMap<>();
    chosen.put(me.id(), me);
    for (String username : usernames) {
      ChatUser person = person(username);
      chosen.put(person.id(), person);
    }
    if (chosen.size() == 1) {
      throw new Refused(
          Status.BAD_REQUEST, "direct_to_self", "A direct conversation needs someone else.");
    }
    if (chosen.size() > MAX_CONVERSATION) {
      throw tooMany();
    }
    if (chosen.size() == 2) {
      ChatUser other =
          chosen.values().stream().filter(one -> !one.id().equals(me.id())).findFirst().get();
      return direct(subject, other.username());
    }
    // Serialise the first conversation of a set on its lowest member's row (every starter of the
    // same set locks the same row): two people who start it at the same moment get one room.
    long lowest = chosen.keySet().iterator().next();
    em.find(ChatUser.class, lowest, LockModeType.PESSIMISTIC_WRITE);
    DirectGroup existing = em.find(DirectGroup.class, DirectGroup.key(chosen.keySet()));
    if (existing != null) {
      return existing.roomId();
    }
    Room room = new Room("group", "", Visibility.DIRECT);
    em.persist(room);
    em.flush();
    em.persist(new DirectGroup(chosen.keySet(), room.id()));
    for (Long member : chosen.keySet()) {
      em.persist(new Membership(room.id(), member, Role.MEMBER));
    }
    return room.id();
  }

  private static Refused tooMany() {
    return new Refused(
        Status.BAD_REQUEST,
        "too_many_people",
        "A direct conversation is for at most "
            + MAX_CONVERSATION
            + " people: you and "
            + (MAX_CONVERSATION - 1)
            + " others.");
  }

  /** Moves someone's read marker to {@code seq} (bounded by the room's last message). */
  @Transactional
  public void markRead(String subject, long roomId, long seq) {
    membershipOf(subject, roomId)
        .ifPresent(
            membership -> {
              Room room = em.find(Room.class, roomId);
              membership.readUpTo(Math.min(seq, room.lastSeq()));
            });
  }

  /**
   * Mutes or unmutes a room for one of its members; false when they are not one (nothing is changed
   * then).
   */
  @Transactional
  public boolean mute(String subject, long roomId, boolean muted) {
    Optional<Membership> membership = membershipOf(subject, roomId);
    membership.ifPresent(it -> it.mute(muted));
    return membership.isPresent();
  }

  public Optional<Membership> membershipOf(String subject, long roomId) {
    return em.createNamedQuery(Membership.FIND_BY_SUBJECT_AND_ROOM, Membership.class)
        .setParameter("subject", subject)
        .setParameter("room", roomId)
        .getResultStream()
        .findFirst();
  }

  /** Whether the person with this subject belongs to the room. */
  public boolean isMember(String subject, long roomId) {
    return membershipOf(subject, roomId).isPresent();
  }

  public Room room(long roomId) {
    return em.find(Room.class, roomId);
  }

  public List<Member> members(long roomId) {
    List<Member> members = new ArrayList<>();
    for (Object[] row :
        em.createNamedQuery(Membership.LIST_MEMBERS, Object[].class)
            .setParameter("room", roomId)
            .getResultList()) {
      Membership membership = (Membership) row[0];
      ChatUser user = (ChatUser) row[1];
      members.add(
          new Member(
              user.subject(), user.username(), user.displayName(), membership.role(), user.bot()));
    }
    return members;
  }

  private List<Joined> joined(String subject) {
    List<Joined> joined = new ArrayList<>();
    for (Object[] row :
        em.createNamedQuery(Membership.LIST_BY_SUBJECT, Object[].class)
            .setParameter("subject", subject)
            .getResultList()) {
      joined.add(new Joined((Membership) row[0], (Room) row[1]));
    }
    return joined;
  }

  /**
   * The other people of each of these direct conversations, by room, in one query: their display
   * names in alphabetical order, joined by commas (the conversation's title).
   */
  private Map<Long, String> otherPeopleIn(List<Long> directRooms, String subject) {
    Map<Long, String> names = new HashMap<>();
    if (directRooms.isEmpty()) {
      return names;
    }
    for (Object[] row :
        em.createNamedQuery(Membership.LIST_OTHER_PEOPLE, Object[].class)
            .setParameter("rooms", directRooms)
            .setParameter("subject", subject)
            .getResultList()) {
      names.merge((Long) row[0], (String) row[1], (first, next) -> first + ", " + next);
    }
    return names;
  }

  private boolean nameTaken(String name) {
    return !em.createNamedQuery(Room.LIST_IDS_BY_NAME, Long.class)
        .setParameter("name", name)
        .setParameter("direct", Visibility.DIRECT)
        .getResultList()
        .isEmpty();
  }

  /**
   * Adds a member who starts with nothing unread: what was said before they came is history. Native
   * SQL for PostgreSQL's {@code ON CONFLICT DO NOTHING}: joining twice, even twice at once (two
   * tabs), is harmless, where a JPA insert would fail the second on the primary key. (The schema is
   * named as everywhere in chatfront's SQL: {@code chat}, the one Flyway migrates.)
   */
  private void addMember(long roomId, long userId, Role role) {
    em.createNativeQuery(
            "INSERT INTO chat.membership (room_id, user_id, role, last_read_seq)"
                + " SELECT id, ?, ?, last_seq FROM chat.room WHERE id = ? ON CONFLICT DO NOTHING")
        .setParameter(1, userId)
        .setParameter(2, role.word())
        .setParameter(3, roomId)
        .executeUpdate();
  }

  private ChatUser user(String subject) throws Refused {
    return people
        .bySubject(subject)
        .orElseThrow(() -> new Refused(Status.UNAUTHORIZED, "user_unknown", "Sign in again."));
  }

  /**
   * The person with this username. Text that cannot be a username is refused before any lookup;
   * everyone who has signed in once, to the web app or over the socket, can be found.
   */
  private ChatUser person(String username) throws Refused {
    String typed = username == null ? "" : username.strip();
    Optional<String> problem = FormInput.usernameProblem(typed);
    if (problem.isPresent()) {
      throw new Refused(Status.BAD_REQUEST, "username_invalid", problem.get());
    }
    return people
        .byUsername(typed)
        .orElseThrow(
            () ->
                new Refused(
                    Status.NOT_FOUND,
                    "user_unknown",
                    "No one called " + typed + " has signed in to chat yet."));
  }

  private static Refused notAMember() {
    return new Refused(Status.FORBIDDEN, "not_a_member", "You are not in that room.");
  }
}
