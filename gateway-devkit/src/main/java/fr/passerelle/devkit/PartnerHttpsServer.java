package fr.passerelle.devkit;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.DevelopmentPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A partner's own HTTPS server as the gateway pushes to it, for the demo and the tests: on 127.0.0.1, with a
 * server certificate that the development CA issues for it, asking for a client certificate from that CA (the
 * gateway's), TLS 1.3 and 1.2. Not started: the caller adds its contexts and executor.
 */
public final class PartnerHttpsServer {

    private PartnerHttpsServer() {}

    /**
     * @param pki    the development PKI folder ({@code ca.pem}, {@code ca-key.pem})
     * @param outDir where the server's certificate and key are written
     * @param id     the certificate's name, such as {@code siao-974-endpoint}
     * @param port   0 for a free port
     */
    public static HttpsServer bind(Path pki, Path outDir, String id, int port) throws IOException {
        Path certificate = DevelopmentPki.issueServer(pki, outDir, id, List.of(), Clock.systemUTC());
        SSLContext tls = ClientTls.sslContext(certificate, outDir.resolve(id + "-key.pem"), pki.resolve("ca.pem"));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                params.setSSLParameters(parameters);
            }
        });
        return server;
    }
}
