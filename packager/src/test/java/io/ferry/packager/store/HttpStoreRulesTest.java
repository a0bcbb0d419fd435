package io.ferry.packager.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.packager.store.StoreException.Kind;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of {@link HttpStore} that need no server: where redirects go, where credentials go,
 * and which HTTP status becomes which {@link Kind}.
 */
class HttpStoreRulesTest {

  private static final URI ASKED = URI.create("https://repo.example:8443/up/pkg.tgz");

  @Test
  @Timeout(10)
  void relativeAndSchemeLessLocationsResolveAgainstTheRequest() throws StoreException {
    assertThat(next("PUT", ASKED, 307, "/dav/pkg.tgz"))
        .isEqualTo(URI.create("https://repo.example:8443/dav/pkg.tgz"));
    assertThat(next("PUT", ASKED, 308, "other.tgz"))
        .isEqualTo(URI.create("https://repo.example:8443/up/other.tgz"));
    assertThat(next("PUT", ASKED, 301, "//mirror.example/x.tgz"))
        .isEqualTo(URI.create("https://mirror.example/x.tgz"));
  }

  @Test
  @Timeout(10)
  void httpsToHttpIsNeverFollowed() {
    assertThatThrownBy(() -> next("PUT", ASKED, 302, "http://repo.example/pkg.tgz"))
        .isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.REJECTED))
        .hasMessageContaining("from https to http://repo.example/pkg.tgz");
  }

  @Test
  @Timeout(10)
  void see303IsAnErrorForPutButFollowedByReads() throws StoreException {
    assertThatThrownBy(() -> next("PUT", ASKED, 303, "/elsewhere"))
        .isInstanceOfSatisfying(StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.REJECTED))
        .hasMessageContaining("303");
    assertThat(next("GET", ASKED, 303, "/elsewhere"))
        .isEqualTo(URI.create("https://repo.example:8443/elsewhere"));
  }

  @Test
  @Timeout(10)
  void redirectWithoutLocationOrToAnotherSchemeIsRejected() {
    assertThatThrownBy(() -> HttpRedirects.next("upload", ASKED, "PUT", ASKED, 307, headers()))
        .hasMessageContaining("without a Location");
    assertThatThrownBy(() -> next("PUT", ASKED, 307, "ftp://repo.example/x"))
        .hasMessageContaining("not an http(s) URL");
  }

  @Test
  @Timeout(10)
  void credentialsGoOnlyToTheOriginTheUserNamed() {
    HttpAuth auth = new HttpAuth(new HttpOptions(Optional.of("u"), Optional.of("p"),
        Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(1), 5));
    URI asked = URI.create("https://repo.example/up/a.tgz");

    assertThat(auth.headerFor(URI.create("https://repo.example:443/dav/a.tgz"), asked))
        .contains("Basic dTpw");
    assertThat(auth.headerFor(URI.create("https://repo.example:8443/a.tgz"), asked)).isEmpty();
    assertThat(auth.headerFor(URI.create("https://cdn.example/a.tgz"), asked)).isEmpty();
    assertThat(auth.headerFor(URI.create("http://repo.example/a.tgz"), asked)).isEmpty();
  }

  @Test
  @Timeout(10)
  void statusesMapToKindsWithHints() {
    URI uri = URI.create("http://h/p.tgz");
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 401, "").kind()).isEqualTo(Kind.AUTH);
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 403, "").getMessage())
        .contains("FERRY_HTTP_TOKEN / --http-token-file");
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 404, "").getMessage())
        .endsWith(HttpErrors.PUT_HINT);
    assertThat(HttpErrors.forStatus("read", uri, "GET", 404, "").kind())
        .isEqualTo(Kind.NOT_FOUND);
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 405, "").kind())
        .isEqualTo(Kind.REJECTED);
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 409, "").getMessage())
        .contains("parent");
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 413, "").getMessage())
        .contains("raise client_max_body_size");
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 413, "").kind())
        .isEqualTo(Kind.NO_SPACE);
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 507, "").kind())
        .isEqualTo(Kind.NO_SPACE);
    assertThat(HttpErrors.forStatus("upload", uri, "PUT", 502, "").kind())
        .isEqualTo(Kind.TRANSIENT);
    StoreException teapot = HttpErrors.forStatus("upload", uri, "PUT", 418,
        "<html><body><h1>I'm a teapot</h1>" + "x".repeat(500) + "</body></html>");
    assertThat(teapot.kind()).isEqualTo(Kind.REJECTED);
    assertThat(teapot.getMessage()).contains("HTTP 418: I'm a teapot").doesNotContain("<h1>");
    assertThat(HttpErrors.excerpt("y".repeat(1000))).hasSize(HttpErrors.BODY_CHARS + 3);
  }

  @Test
  @Timeout(10)
  void contentTypeFollowsTheExtension() {
    assertThat(HttpStore.contentType(URI.create("http://h/a/ferry-1.0.tgz")))
        .isEqualTo("application/gzip");
    assertThat(HttpStore.contentType(URI.create("http://h/a/x.tar.gz")))
        .isEqualTo("application/gzip");
    assertThat(HttpStore.contentType(URI.create("http://h/a/ferry-1.0.tgz.sha512")))
        .isEqualTo("text/plain");
    assertThat(HttpStore.contentType(URI.create("http://h/a/x.bin")))
        .isEqualTo("application/octet-stream");
  }

  private static URI next(String method, URI current, int status, String location)
      throws StoreException {
    return HttpRedirects.next("upload", current, method, current, status,
        headers("Location", location));
  }

  private static HttpHeaders headers(String... nameValue) {
    Map<String, List<String>> map = nameValue.length == 0
        ? Map.of() : Map.of(nameValue[0], List.of(nameValue[1]));
    return HttpHeaders.of(map, (name, value) -> true);
  }
}
