package dev.roomgate.provider.tencent;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.Inflater;

import com.tencentyun.TLSSigAPIv2;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.roomgate.config.Secret;

import static org.assertj.core.api.Assertions.assertThat;

class UserSigGeneratorTests {

    private static final String KEY = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

    private static final long SDK_APP_ID = 1400000000L;

    private final JsonMapper json = JsonMapper.builder().build();

    private final UserSigGenerator generator = new UserSigGenerator(json, SDK_APP_ID, "administrator",
            Secret.of(KEY));

    @Test
    void signatureMatchesTheDocumentedVector() {
        assertThat(generator.signature(1700000000L, 86400)).isEqualTo("yLAe+w7WUeUuqbV9h/TX78u21oTGi+i9Zp1u3PpnY60=");
    }

    @Test
    void decodesToTheSameDocumentAsTheOfficialLibrary() throws Exception {
        String official = new TLSSigAPIv2(SDK_APP_ID, KEY).genUserSig("administrator", 86400);
        JsonNode theirs = decode(official);
        long time = theirs.get("TLS.time").asLong();

        JsonNode ours = decode(generator.generate(Instant.ofEpochSecond(time), Duration.ofSeconds(86400)));

        assertThat(ours).isEqualTo(theirs);
        assertThat(ours.get("TLS.sig").asString()).isEqualTo(generator.signature(time, 86400));
    }

    @Test
    void usesTencentsUrlSafeAlphabet() {
        String sig = generator.generate(Instant.ofEpochSecond(1700000000L), Duration.ofDays(1));
        assertThat(sig).matches("[A-Za-z0-9*_-]+").doesNotContain("+", "/", "=");
    }

    static JsonNode decode(String userSig) throws Exception {
        String base64 = userSig.replace('*', '+').replace('-', '/').replace('_', '=');
        Inflater inflater = new Inflater();
        inflater.setInput(Base64.getDecoder().decode(base64));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        while (!inflater.finished()) {
            out.write(chunk, 0, inflater.inflate(chunk));
        }
        inflater.end();
        return JsonMapper.builder().build().readTree(out.toByteArray());
    }
}
