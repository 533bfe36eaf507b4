package teamchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The {@code search} scenario's corpus: N generated messages over the last year, in {@link #ROOMS}
 * rooms, written straight into {@code chat.message} with {@code COPY} (chatserv's path would take
 * hours for a million). The words follow a Zipf law over a vocabulary of chat and build talk, so a
 * few words are in a large share of the messages and most are rare, as in real chat; a fifth of the
 * messages are German, French, Spanish, Japanese or Chinese; some carry identifiers ({@code
 * PR-128}) or paths ({@code target/surefire-reports/...}). Seeded: every run has the same corpus.
 *
 * <p>The two search indexes of migration V7 are dropped before the load and built again after it
 * from their own definitions ({@code pg_get_indexdef}), as anyone loading a million rows would: a
 * GIN index built once is far quicker than one grown row by row.
 */
final class SearchCorpus {

  /** Rooms of the corpus; the searcher is a member of the first {@link #SEARCHERS_ROOMS}. */
  static final int ROOMS = 20;

  static final int SEARCHERS_ROOMS = 15;

  /** The room of the filtered query ({@code in:}): the first one. */
  static final String FIRST_ROOM = "search-bench-0";

  private static final List<String> SEARCH_INDEXES =
      List.of("message_search_words", "message_search_parts");

  /** English words, most frequent first (Zipf rank). */
  private static final String[] ENGLISH =
      ("the to and a of is in it for on that we this with be build test I you not are have can"
              + " will release fix it's branch so just but from at merge review do if"
              + " deploy failing tests now pipeline main was there an up about what all check"
              + " pushed need works still let me after when issue deployed today looks by"
              + " config yesterday before database again server error team meeting tomorrow"
              + " log timeout version update sprint ticket docs change please thanks retry"
              + " deployment cluster metrics query schema migration rollback staging feature"
              + " latency cache queue memory heap profile customer backlog roadmap incident"
              + " alert dashboard flaky plugin upgrade dependency compile lint format coverage"
              + " benchmark index replica backup restore certificate token session socket"
              + " deploying deploys refactor nginx payara postgres container image volume"
              + " secret rotate quota budget estimate design demo planning retro onboarding"
              + " handbook vacation holiday lunch coffee weekend offsite hiring interview"
              + " kubernetes terraform ansible grafana prometheus jaeger kafka redis elastic"
              + " regression bisect hotfix changelog semver tag artifact registry mirror proxy")
          .split(" ");

  private static final String[] GERMAN = {
    "Kurzer Zwischenstand: die Tests laufen, alles grün.",
    "Kannst du dir den Build heute noch ansehen?",
    "Das Deployment auf Staging ist fertig.",
    "Ich bin morgen im Urlaub, bitte Bescheid geben.",
    "Die Datenbank war kurz nicht erreichbar."
  };
  private static final String[] FRENCH = {
    "Petit point : les tests passent, rien à signaler.",
    "Qui peut relire ma demande de fusion ?",
    "La mise en production est prévue pour jeudi.",
    "Le serveur de recette redémarre, patience.",
    "Réunion d'équipe déplacée à demain matin."
  };
  private static final String[] SPANISH = {
    "Actualización: las pruebas pasan sin problemas.",
    "¿Alguien puede revisar la rama principal?",
    "El despliegue terminó sin errores.",
    "Mañana hay reunión de planificación.",
    "La base de datos responde lento hoy."
  };
  private static final String[] JAPANESE = {
    "進捗報告：テストはすべて成功しました。",
    "新しい設計を確認してください。",
    "ビルドが失敗しています。ログを見てください。",
    "明日の会議は十時からです。",
    "本番環境へのデプロイが完了しました。",
    "レビューをお願いします。",
    "データベースの移行は来週の予定です。",
    "障害の原因を調査中です。"
  };
  private static final String[] CHINESE = {
    "例行更新：所有测试均已通过。", "请帮忙审查这个合并请求。", "部署已经完成，没有错误。", "明天的会议改到下午。", "数据库迁移计划在下周进行。", "系统设计文档已更新。"
  };
  private static final String[] CLASSES = {
    "ChatfrontServiceIT", "MessageStoreTest", "SearchQueryTest", "WebUiIT", "BatcherTest"
  };

  /** The rare word: in about one message in 100,000. */
  static final String RARE = "kumquat";

  private final Random random = new Random(19);
  private final double[] zipf = cumulativeZipf(ENGLISH.length, 1.07);

  /** Ids of the corpus's rooms, the searcher's first. */
  final List<Long> rooms = new ArrayList<>();

  /**
   * Makes the rooms (the searcher in the first {@link #SEARCHERS_ROOMS}, everyone else in all),
   * loads {@code count} messages from the {@code users} (chat user ids; the first is the searcher)
   * and builds the search indexes; progress on {@code out}.
   */
  void load(Connection db, List<Long> users, int count, PrintStream out)
      throws SQLException, IOException {
    makeRooms(db, users);
    List<String> definitions = dropSearchIndexes(db);
    long start = System.nanoTime();
    copyMessages(db, users, count, out);
    out.printf("  %,d messages copied in %.0f s%n", count, seconds(start));
    try (Statement sql = db.createStatement()) {
      sql.execute(
          "UPDATE chat.room r SET last_seq = m.last FROM (SELECT room_id, max(seq) AS last"
              + " FROM chat.message GROUP BY room_id) m WHERE r.id = m.room_id");
      // A GIN build sorts in this much memory; the server's default (64 MB) spills to disk.
      sql.execute("SET maintenance_work_mem = '512MB'");
      for (String definition : definitions) {
        long built = System.nanoTime();
        sql.execute(definition);
        out.printf("  index built in %.0f s: %s%n", seconds(built), definition);
      }
      sql.execute("ANALYZE chat.message");
    }
  }

  private void makeRooms(Connection db, List<Long> users) throws SQLException {
    try (PreparedStatement room =
            db.prepareStatement(
                "INSERT INTO chat.room (name, visibility) VALUES (?, 'public') RETURNING id");
        PreparedStatement member =
            db.prepareStatement(
                "INSERT INTO chat.membership (room_id, user_id, role) VALUES (?, ?, 'member')")) {
      for (int i = 0; i < ROOMS; i++) {
        room.setString(1, "search-bench-" + i);
        try (ResultSet id = room.executeQuery()) {
          id.next();
          rooms.add(id.getLong(1));
        }
        for (int u = i < SEARCHERS_ROOMS ? 0 : 1; u < users.size(); u++) {
          member.setLong(1, rooms.get(i));
          member.setLong(2, users.get(u));
          member.addBatch();
        }
      }
      member.executeBatch();
    }
  }

  private static List<String> dropSearchIndexes(Connection db) throws SQLException {
    List<String> definitions = new ArrayList<>();
    try (PreparedStatement find =
            db.prepareStatement(
                "SELECT pg_get_indexdef(c.oid) FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE n.nspname = 'chat' AND c.relname = ?");
        Statement drop = db.createStatement()) {
      for (String index : SEARCH_INDEXES) {
        find.setString(1, index);
        try (ResultSet row = find.executeQuery()) {
          if (!row.next()) {
            throw new SQLException("no index chat." + index + ": is migration V7 applied?");
          }
          definitions.add(row.getString(1));
        }
        drop.execute("DROP INDEX chat." + index);
      }
    }
    return definitions;
  }

  private void copyMessages(Connection db, List<Long> users, int count, PrintStream out)
      throws SQLException {
    long[] seqs = new long[ROOMS];
    Instant first = Instant.now().minus(365, ChronoUnit.DAYS);
    long stepMicros = ChronoUnit.MICROS.between(first, Instant.now()) / Math.max(1, count);
    CopyIn copy =
        db.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY chat.message (room_id, seq, sender_id, client_msg_id, body, created_at)"
                    + " FROM STDIN");
    try {
      StringBuilder rows = new StringBuilder(1 << 20);
      for (int i = 0; i < count; i++) {
        // A few rooms are busy and most quiet, as in a real team.
        int room = Math.min(ROOMS - 1, (int) (ROOMS * Math.pow(random.nextDouble(), 2)));
        int sender =
            room < SEARCHERS_ROOMS
                ? random.nextInt(users.size())
                : 1 + random.nextInt(users.size() - 1);
        rows.append(rooms.get(room))
            .append('\t')
            .append(++seqs[room])
            .append('\t')
            .append(users.get(sender))
            .append("\tsearch-bench-")
            .append(i)
            .append('\t');
        escaped(rows, body());
        rows.append('\t')
            .append(
                OffsetDateTime.ofInstant(
                    first.plus(i * stepMicros, ChronoUnit.MICROS), ZoneOffset.UTC))
            .append('\n');
        if (rows.length() > (1 << 20) - 4096) {
          byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(bytes, 0, bytes.length);
          rows.setLength(0);
        }
        if ((i + 1) % 100_000 == 0) {
          out.printf("  %,d of %,d messages%n", i + 1, count);
        }
      }
      byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
      copy.writeToCopy(bytes, 0, bytes.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** One message: four in five English, the rest in five other languages. */
  String body() {
    int language = random.nextInt(100);
    if (language < 80) {
      return english();
    }
    String[] phrases =
        language < 84
            ? GERMAN
            : language < 88 ? FRENCH : language < 92 ? SPANISH : language < 96 ? JAPANESE : CHINESE;
    String text = phrases[random.nextInt(phrases.length)];
    return random.nextInt(3) == 0 ? text + " " + phrases[random.nextInt(phrases.length)] : text;
  }

  private String english() {
    StringBuilder text = new StringBuilder();
    int words = 4 + random.nextInt(17);
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        text.append(' ');
      }
      text.append(ENGLISH[rank()]);
    }
    int extra = random.nextInt(100);
    if (extra < 8) {
      text.append(" PR-").append(1 + random.nextInt(5000));
    } else if (extra < 12) {
      text.append(" see target/surefire-reports/TEST-")
          .append(CLASSES[random.nextInt(CLASSES.length)])
          .append(".xml");
    } else if (extra < 15) {
      text.append(" in src/main/java/teamchat/")
          .append(CLASSES[random.nextInt(CLASSES.length)])
          .append(".java:")
          .append(1 + random.nextInt(400));
    }
    if (random.nextInt(100_000) == 0) {
      text.append(" and a ").append(RARE);
    }
    return text.append('.').toString();
  }

  private int rank() {
    int found = java.util.Arrays.binarySearch(zipf, random.nextDouble());
    return Math.min(ENGLISH.length - 1, found >= 0 ? found : -found - 1);
  }

  private static double[] cumulativeZipf(int n, double exponent) {
    double[] cumulative = new double[n];
    double sum = 0;
    for (int k = 0; k < n; k++) {
      sum += 1 / Math.pow(k + 1, exponent);
      cumulative[k] = sum;
    }
    for (int k = 0; k < n; k++) {
      cumulative[k] /= sum;
    }
    return cumulative;
  }

  /** COPY's text format: a backslash, tab, newline or carriage return escaped. */
  private static void escaped(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(c);
      }
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
