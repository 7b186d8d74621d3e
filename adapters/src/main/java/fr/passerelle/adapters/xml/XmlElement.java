package fr.passerelle.adapters.xml;

import java.util.List;

/**
 * One element of a parsed partner document: its local name, where it starts, its text (for an element with
 * children, whatever whitespace stood between them) and its child elements in document order.
 */
record XmlElement(String name, int line, int column, String text, List<XmlElement> children) {
    XmlElement {
        children = List.copyOf(children);
    }

    /** Shows the name and position only: the text may be personal data. */
    @Override
    public String toString() {
        return "XmlElement[" + name + " at " + line + ":" + column + ", " + children.size() + " children]";
    }
}
