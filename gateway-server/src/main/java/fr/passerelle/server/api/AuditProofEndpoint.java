package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditProofs;
import fr.passerelle.core.audit.AuditRecord;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code GET /v1/referrals/{id}/audit-proof}: for a party to the referral, the latest signed tree head and the
 * inclusion proof of each audit entry it may see, so that it can prove, without trusting the gateway, that the
 * log holds them. Entries the sequencer has not numbered yet are listed as pending, by queue position: a head covers
 * them within the promise ({@code auditMaxMergeDelayMs} of the submission's answer).
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
        Map<Long, Long> positions = new HashMap<>();
        List<Long> waiting = new ArrayList<>();
        for (AuditRecord record : status.history()) {
            long position = record.queued().map(AuditRecord.Queued::position).orElse(0L);
            if (record.sequenced()) {
                positions.put(record.seq(), position);
            } else {
                waiting.add(position);
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("referralId", id.toString());
        Optional<SignedTreeHead> head = TreeHeads.latest(dataSource);
        ArrayNode proofs = body.putArray("entries");
        ArrayNode pending = body.putArray("pending");
        if (head.isPresent()) {
            body.set("treeHead", AuditJsonViews.treeHead(head.get()));
            for (AuditProofs.InclusionProof proof : AuditProofs.forReferral(dataSource, id, head.get())) {
                if (positions.containsKey(proof.seq())) {
                    ObjectNode entry = proofs.addObject();
                    entry.put("seq", proof.seq());
                    if (positions.get(proof.seq()) > 0) {
                        entry.put("position", positions.get(proof.seq()));
                    }
                    entry.put("treeSize", proof.treeSize());
                    entry.put("leafHash", HexFormat.of().formatHex(proof.leafHash()));
                    AuditJsonViews.putHexList(entry, "path", proof.path());
                }
            }
        }
        // Numbered entries are covered by the head signed in the same transaction: only queued ones wait.
        waiting.forEach(pending::add);
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }
}
