package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditJson;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.util.HexFormat;
import java.util.List;

/** The JSON shapes of the audit API: a signed tree head as the export writes it, and proof paths in hex. */
final class AuditJsonViews {
    private AuditJsonViews() {}

    static ObjectNode treeHead(SignedTreeHead head) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(AuditJson.treeHead(head));
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot render a tree head", e);
        }
    }

    static void putHexList(ObjectNode node, String field, List<byte[]> hashes) {
        ArrayNode array = node.putArray(field);
        hashes.forEach(h -> array.add(HexFormat.of().formatHex(h)));
    }
}
