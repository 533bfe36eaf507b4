package teamchat.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import teamchat.systemtestkit.Accounts.Person;

/**
 * Scenario 8, {@code search} (issue 19): typical searches over a corpus of {@code
 * BENCH_SEARCH_MESSAGES} messages (1,000,000 by default, {@link SearchCorpus}), p50 and p95 of
 * each, through the search field's own request ({@code GET /session/search/messages} on chatfront,
 * signed in through the sign-in page: session, query parsing, the membership check and both indexes
 * in SQL, snippets, JSON; what a person waits for) against the same words in plain SQL {@code
 * ILIKE} over the same rows with the same membership check (what search would be without its
 * indexes), interleaved query by query. Then a pathological query, to show the statement timeout
 * holding while another search still answers.
 */
final class Search implements Scenario {

  /**
   * One typical search: what is typed into the field, and the {@code ILIKE} patterns and filters of
   * its plain-SQL reference.
   */
  record Query(String name, String typed, List<String> patterns, String room, boolean fromFilter) {}

  /** What {@link #found} says for a search the statement timeout cancelled. */
  private static final int TOO_LONG = -1;

  /** What {@link #found} says for any other answer than 200 or that 503. */
  private static final int FAILED = -2;

  /** Ten parts of two letters, each in most messages: no trigram, so no index can narrow them. */
  static final String PATHOLOGICAL = "er en an in on at es te re th";

  @Override
  public String name() {
    return "search";
  }

  @Override
  public boolean usesNode() {
    return false;
  }

  @Override
  public void run(Bench bench) throws Exception {
    ChatSystem system = bench.system;
    int messages = bench.number("BENCH_SEARCH_MESSAGES", 1_000_000);
    int repeats = bench.number("BENCH_SEARCH_REPEATS", 2);
    List<Person> people = system.people();
    Person searcher = people.get(0);
    Person sender = people.get(1);
    List<Long> users = usersWithUsernames(system, people);
    try (Connection db = system.database()) {
      bench.out.printf("  generating %,d messages into PostgreSQL ...%n", messages);
      new SearchCorpus().load(db, users, messages, bench.out);
    }
    List<Query> queries =
        List.of(
            new Query("common word", "build", List.of("%build%"), null, false),
            new Query(
                "rare word",
                SearchCorpus.RARE,
                List.of("%" + SearchCorpus.RARE + "%"),
                null,
                false),
            new Query("stem", "deploying", List.of("%deploy%"), null, false),
            new Query("infix", "surefire", List.of("%surefire%"), null, false),
            new Query("identifier", "PR-128", List.of("%PR-128%"), null, false),
            new Query("CJK", "設計", List.of("%設計%"), null, false),
            new Query(
                "in: + from:",
                "release in:" + SearchCorpus.FIRST_ROOM + " from:" + sender.username(),
                List.of("%release%"),
                SearchCorpus.FIRST_ROOM,
                true));
    WebSession web =
        WebSession.signIn(system.chatfront(), searcher.username(), searcher.password());
    try (Connection db = system.database()) {
      measure(bench, web, db, searcher.subject(), sender.username(), queries, repeats);
      pathological(bench, web);
    }
  }

  private void measure(
      Bench bench,
      WebSession web,
      Connection db,
      String subject,
      String senderUsername,
      List<Query> queries,
      int repeats)
      throws Exception {
    int n = queries.size();
    List<List<Double>> p50 = lists(2 * n);
    List<List<Double>> p95 = lists(2 * n);
    int[] tooLong = new int[n];
    int[] failed = new int[n];
    List<Histogram> all = new ArrayList<>();
    for (int i = 0; i < 2 * n; i++) {
      all.add(new Histogram(3));
    }
    // Untimed: the first run of each plans the statement and reads the table into the cache.
    for (Query query : queries) {
      int found = found(web.searchMessages(query.typed()), query);
      int reference = PlainSqlSearch.newest(db, subject, senderUsername, query);
      bench.out.printf(
          "  %s (%s): the search finds %s on its first page, the ILIKE reference %d%n",
          query.name(),
          query.typed(),
          found == TOO_LONG
              ? "nothing (503 search_too_long)"
              : found == FAILED ? "nothing (failed, above)" : Integer.toString(found),
          reference);
    }
    for (int round = 1; round <= bench.rounds; round++) {
      List<Histogram> histograms = new ArrayList<>();
      for (int i = 0; i < 2 * n; i++) {
        histograms.add(new Histogram(3));
      }
      for (int repeat = 0; repeat < repeats; repeat++) {
        for (int q = 0; q < n; q++) {
          Query query = queries.get(q);
          // A/B, then B/A: neither side always runs on the cache the other warmed.
          for (int side = 0; side < 2; side++) {
            boolean searchSide = (side == 0) == (repeat % 2 == 0);
            long start = System.nanoTime();
            if (searchSide) {
              int found = found(web.searchMessages(query.typed()), query);
              tooLong[q] += found == TOO_LONG ? 1 : 0;
              failed[q] += found == FAILED ? 1 : 0;
            } else {
              PlainSqlSearch.newest(db, subject, senderUsername, query);
            }
            long micros = (System.nanoTime() - start) / 1000;
            int index = searchSide ? q : n + q;
            histograms.get(index).recordValue(micros);
            all.get(index).recordValue(micros);
          }
        }
      }
      StringBuilder line = new StringBuilder("  round " + round + ", p50 search / ILIKE:");
      for (int q = 0; q < n; q++) {
        for (int side = 0; side < 2; side++) {
          Histogram h = histograms.get(side * n + q);
          p50.get(side * n + q).add(h.getValueAtPercentile(50) / 1000.0);
          p95.get(side * n + q).add(h.getValueAtPercentile(95) / 1000.0);
        }
        line.append(
            String.format(
                " %s %.1f/%.0f ms;",
                queries.get(q).name(), p50.get(q).get(round - 1), p50.get(n + q).get(round - 1)));
      }
      bench.out.println(line);
    }
    for (int q = 0; q < n; q++) {
      Query query = queries.get(q);
      String what = query.name() + " (" + query.typed() + ")";
      String reference = "plain SQL ILIKE " + String.join(" AND ", query.patterns());
      bench.results.add(
          new Figure(name(), what + ", p50", "ms", reference, false, p50.get(q), p50.get(n + q)));
      bench.results.add(
          new Figure(name(), what + ", p95", "ms", reference, false, p95.get(q), p95.get(n + q)));
      bench.results.note(
          String.format(
              "%s: %s over all %d runs of each side: search p50 %.1f ms, p95 %.1f ms (%d of them"
                  + " cancelled by the statement timeout, 503, and %d failed otherwise); ILIKE p50"
                  + " %.1f ms, p95 %.1f ms",
              name(),
              what,
              all.get(q).getTotalCount(),
              all.get(q).getValueAtPercentile(50) / 1000.0,
              all.get(q).getValueAtPercentile(95) / 1000.0,
              tooLong[q],
              failed[q],
              all.get(n + q).getValueAtPercentile(50) / 1000.0,
              all.get(n + q).getValueAtPercentile(95) / 1000.0));
    }
  }

  /**
   * The pathological query alone, and a typical one while it runs: the first is cancelled by the
   * statement timeout (503 {@code search_too_long}), the second answers as usual.
   */
  private void pathological(Bench bench, WebSession web) throws Exception {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return web.searchMessages(PATHOLOGICAL);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(1000);
    long besideStart = System.nanoTime();
    HttpResponse<String> beside = web.searchMessages(SearchCorpus.RARE);
    double besideMillis = (System.nanoTime() - besideStart) / 1e6;
    HttpResponse<String> answer = slow.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    String code = answer.statusCode() == 200 ? "" : " " + json(answer.body()).getString("code", "");
    String note =
        String.format(
            "%s: the pathological query \"%s\" was answered %d%s after %.1f s (statement timeout"
                + " 5 s); a search for \"%s\" sent 1 s into it was answered %d in %.0f ms",
            name(),
            PATHOLOGICAL,
            answer.statusCode(),
            code,
            seconds,
            SearchCorpus.RARE,
            beside.statusCode(),
            besideMillis);
    bench.out.println("  " + note);
    bench.results.note(note);
  }

  /**
   * The number of results of the search's first page, or {@link #TOO_LONG} when the statement
   * timeout cancelled it (503 {@code search_too_long}: the answer a person gets, counted and timed
   * like any other); fails on any other answer.
   */
  private static int found(HttpResponse<String> answer, Query query) throws IOException {
    if (answer.statusCode() == 503
        && "search_too_long".equals(json(answer.body()).getString("code", ""))) {
      return TOO_LONG;
    }
    if (answer.statusCode() != 200) {
      // Counted and noted, not fatal: one query's fault should not cost the run its other figures.
      System.out.println(
          "  (search for "
              + query.typed()
              + ": "
              + answer.statusCode()
              + " "
              + answer.body()
              + ")");
      return FAILED;
    }
    return json(answer.body()).getJsonArray("results").size();
  }

  /**
   * The bench users' chat user ids, the searcher first, each given the username it has at auth
   * (chatfront learns it at a person's first sign-in; {@code from:} looks for it).
   */
  private static List<Long> usersWithUsernames(ChatSystem system, List<Person> people)
      throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (Connection db = system.database();
        PreparedStatement update =
            db.prepareStatement(
                "UPDATE chat.chat_user SET username = ? WHERE subject = ? RETURNING id")) {
      for (Person person : people) {
        update.setString(1, person.username());
        update.setString(2, person.subject());
        try (ResultSet id = update.executeQuery()) {
          id.next();
          ids.add(id.getLong(1));
        }
      }
    }
    return ids;
  }

  private static JsonObject json(String body) {
    try (var reader = Json.createReader(new StringReader(body))) {
      return reader.readObject();
    }
  }

  private static List<List<Double>> lists(int count) {
    List<List<Double>> lists = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lists.add(new ArrayList<>());
    }
    return lists;
  }
}
