package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditProofs;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.ReferralStatus;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@code GET /v1/referrals/{id}/audit-proof}: for a party to the referral, the latest signed tree head and the
 * inclusion proof of each audit entry it may see, so that it can prove, without trusting the gateway, that the
 * log holds them. Entries newer than the latest head are listed as pending: the next head will cover them.
 */
public final class AuditProofEndpoint implements Endpoint {
    private final Exchange exchange;
    private final DataSource dataSource;

    public AuditProofEndpoint(Exchange exchange, DataSource dataSource) {
        this.exchange = exchange;
        this.dataSource = dataSource;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ReferralId id = ReferralId.parse(request.pathParam("id"));
        ReferralStatus status = exchange.status(id, request.partner());
        Set<Long> visible = status.history().stream().map(r -> r.seq()).collect(Collectors.toSet());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("referralId", id.toString());
        Optional<SignedTreeHead> head = TreeHeads.latest(dataSource);
        ArrayNode proofs = body.putArray("entries");
        ArrayNode pending = body.putArray("pending");
        if (head.isPresent()) {
            body.set("treeHead", AuditJsonViews.treeHead(head.get()));
            for (AuditProofs.InclusionProof proof : AuditProofs.forReferral(dataSource, id, head.get())) {
                if (visible.contains(proof.seq())) {
                    ObjectNode entry = proofs.addObject();
                    entry.put("seq", proof.seq());
                    entry.put("treeSize", proof.treeSize());
                    entry.put("leafHash", HexFormat.of().formatHex(proof.leafHash()));
                    AuditJsonViews.putHexList(entry, "path", proof.path());
                }
            }
        }
        long covered = head.map(h -> h.head().size()).orElse(0L);
        visible.stream().filter(seq -> seq > covered).sorted().forEach(pending::add);
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }
}
