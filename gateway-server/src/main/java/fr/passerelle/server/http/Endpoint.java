package fr.passerelle.server.http;

/**
 * One API operation. Runs on a worker thread, never on the event loop, so it may block on the database.
 * Throws {@link fr.passerelle.core.GatewayException} for anything the caller did wrong; the dispatcher turns it
 * into a problem document.
 */
@FunctionalInterface
public interface Endpoint {
    ApiResponse handle(ApiRequest request);
}
