package teamchat.chatfront.security.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorPageTest {

  @Test
  void aDisplayNameInTheHeaderIsTextNeverMarkup() {
    assertEquals(
        "&lt;b onclick=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;",
        ErrorPage.escaped("<b onclick=\"x\">Tom & Jerry's</b>"));
    assertEquals("Ada Lovelace", ErrorPage.escaped("Ada Lovelace"));
  }

  @Test
  void eachStatusHasItsOwnWords() {
    assertEquals("Not found", ErrorPage.title(404));
    assertEquals("Not allowed", ErrorPage.title(403));
    assertEquals("Something went wrong", ErrorPage.title(500));
    assertEquals("internal", ErrorPage.codeOf(503));
  }
}
