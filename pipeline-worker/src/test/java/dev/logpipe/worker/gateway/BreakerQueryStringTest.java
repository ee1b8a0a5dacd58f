package dev.logpipe.worker.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adversarial review: a filter with a malformed percent-escape was dropped by the server's query
 * parsing, so the query ran without it. The gateway decodes the query string itself, strictly.
 */
class BreakerQueryStringTest {
  @Test
  void wellFormedQueriesDecodeAsBrowsersEncodeThem() {
    assertThat(QueryParameters.parse("q=100%25+off&service=a&service=b%2Cc&anomalies&&x="))
        .isEqualTo(
            Map.of(
                "q", List.of("100% off"),
                "service", List.of("a", "b,c"),
                "anomalies", List.of(""),
                "x", List.of("")));
    assertThat(QueryParameters.parse(null)).isEmpty();
    assertThat(QueryParameters.parse("q=%FF")).containsEntry("q", List.of("\ufffd"));
  }

  @Test
  void aMalformedEscapeInAValueIsABadRequestNamingTheParameter() {
    for (String raw : List.of("q=%ZZ", "q=100%", "q=a%4", "level=ERROR%")) {
      String name = raw.substring(0, raw.indexOf('='));
      assertThatThrownBy(() -> QueryParameters.parse(raw))
          .as(raw)
          .isInstanceOfSatisfying(BadRequest.class, e -> assertThat(e.parameter()).isEqualTo(name))
          .hasMessageContaining("malformed percent-escape");
    }
  }

  @Test
  void aMalformedEscapeInANameIsABadRequestToo() {
    assertThatThrownBy(() -> QueryParameters.parse("%ZZ=1"))
        .isInstanceOfSatisfying(
            BadRequest.class, e -> assertThat(e.parameter()).isEqualTo("query"));
  }
}
