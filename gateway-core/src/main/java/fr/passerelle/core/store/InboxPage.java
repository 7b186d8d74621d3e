package fr.passerelle.core.store;

import java.util.List;

/**
 * One page of a recipient's inbox.
 *
 * @param items the items already taken with a cursor above the request's {@code after}, by cursor, then the items
 *              not yet taken, by urgency (immediate, urgent, routine) then cursor
 * @param next  the cursor to pass as {@code after} for the following page: the greatest of the request's
 *              {@code after} and the items' cursors
 */
public record InboxPage(List<InboxItem> items, long next) {

    public InboxPage {
        items = List.copyOf(items);
    }
}
