package dev.roomgate.provider.tencent;

import java.util.Map;

import dev.roomgate.aggregate.ProviderException;

import static dev.roomgate.provider.tencent.TencentErrorClass.CREDENTIALS_REFUSED;
import static dev.roomgate.provider.tencent.TencentErrorClass.LOCKED_OUT;
import static dev.roomgate.provider.tencent.TencentErrorClass.NOT_FOUND;
import static dev.roomgate.provider.tencent.TencentErrorClass.PERMANENT;
import static dev.roomgate.provider.tencent.TencentErrorClass.THROTTLED;
import static dev.roomgate.provider.tencent.TencentErrorClass.TRANSIENT;
import static dev.roomgate.provider.tencent.TencentErrorClass.USERSIG_REFUSED;

/**
 * Every Tencent {@code ErrorCode} of providers.md 8.1 (REST common codes, UserSig codes, live-engine codes), as one
 * table, and its range rules for the codes the table lacks. Tencent reports these in the body of an HTTP 200.
 */
final class TencentErrors {

    /** A known code: its class, and what it means in our words (never the provider's text, which we do not echo). */
    record Row(TencentErrorClass errorClass, String meaning) {
    }

    private static final Map<Integer, Row> TABLE = Map.ofEntries(
            row(60002, PERMANENT, "Tencent could not parse our HTTP request or its URL"),
            row(60003, PERMANENT, "Tencent could not parse our request JSON"),
            row(60004, USERSIG_REFUSED, "Tencent found the URI, UserID or UserSig of our request incorrect"),
            row(60005, USERSIG_REFUSED, "Tencent found the URI, UserID or UserSig of our request incorrect"),
            row(60006, CREDENTIALS_REFUSED, "Tencent does not know our SDKAppID"),
            row(60007, THROTTLED, "Tencent's frequency limit for this REST API was exceeded"),
            row(60008, TRANSIENT, "Tencent's service timed out"),
            row(60009, PERMANENT, "Tencent does not know the resource (URL) we asked for"),
            row(60010, CREDENTIALS_REFUSED, "our identifier is not an app admin account at Tencent"),
            row(60011, THROTTLED, "Tencent's frequency limit for this SDKAppID was exceeded"),
            row(60012, PERMANENT, "Tencent found no SDKAppID in our URL"),
            row(60013, TRANSIENT, "Tencent could not parse a response of its own"),
            row(60014, TRANSIENT, "Tencent's account switching timed out"),
            row(60015, PERMANENT, "Tencent wants the UserID as a string"),
            row(60016, CREDENTIALS_REFUSED, "Tencent has disabled our SDKAppID"),
            row(60017, CREDENTIALS_REFUSED, "Tencent has disabled requests of our SDKAppID"),
            row(60018, THROTTLED, "Tencent refused the call as one of too many requests"),
            row(60019, THROTTLED, "Tencent refused the call as one of too many requests"),
            row(60020, PERMANENT, "our Tencent Pro package has expired"),
            row(60021, CREDENTIALS_REFUSED, "Tencent does not accept REST calls from our source IP"),
            row(70001, USERSIG_REFUSED, "Tencent says our UserSig expired"),
            row(70002, USERSIG_REFUSED, "Tencent received an empty UserSig"),
            row(70003, USERSIG_REFUSED, "Tencent found our UserSig invalid"),
            row(70005, USERSIG_REFUSED, "Tencent found our UserSig invalid"),
            row(70009, CREDENTIALS_REFUSED, "Tencent could not verify our UserSig: wrong secret key or app"),
            row(70013, CREDENTIALS_REFUSED, "the UserID of our request is not the one in our UserSig"),
            row(70014, CREDENTIALS_REFUSED, "the SDKAppID of our request is not the one in our UserSig"),
            row(70016, CREDENTIALS_REFUSED, "Tencent has no public key for our app"),
            row(70020, CREDENTIALS_REFUSED, "Tencent does not know our SDKAppID"),
            row(70050, LOCKED_OUT, "Tencent locked us out for a minute after too many UserSig checks"),
            // providers.md calls 70107 "not_found (account)", but the only UserID of a room read is our own
            // identifier: it not existing is our configuration failing, and a not_found would declare the room gone.
            row(70107, CREDENTIALS_REFUSED, "Tencent says our identifier does not exist"),
            row(70169, TRANSIENT, "Tencent's server timed out"),
            row(70202, TRANSIENT, "Tencent's server timed out"),
            row(70402, PERMANENT, "Tencent found a parameter of our request invalid"),
            row(70403, CREDENTIALS_REFUSED, "the call needs app admin permission at Tencent"),
            row(70500, TRANSIENT, "Tencent had an internal server error"),
            // 80002, 90001 and 91000 are message-API codes whose texts providers.md marks UNCONFIRMED: we keep the
            // class it gives and say no more than that in our message.
            row(80002, PERMANENT, "Tencent refused the request (a message-API code)"),
            row(90001, PERMANENT, "Tencent refused the request (a message-API code)"),
            row(91000, TRANSIENT, "Tencent had an internal service error (a message-API code)"),
            row(100001, TRANSIENT, "Tencent's room engine had an internal error"),
            row(100002, PERMANENT, "Tencent's room engine found a parameter of our request invalid"),
            row(100004, NOT_FOUND, "the room does not exist"),
            row(100006, PERMANENT, "the room is not a Live room (wrong engine)"),
            row(100211, PERMANENT, "the room does not support seat connection"));

    private TencentErrors() {
    }

    private static Map.Entry<Integer, Row> row(int code, TencentErrorClass errorClass, String meaning) {
        return Map.entry(code, new Row(errorClass, meaning));
    }

    /** The table's row, or the range rule's class for a code the table lacks. */
    static TencentErrorClass classOf(int errorCode) {
        Row row = TABLE.get(errorCode);
        if (row != null) {
            return row.errorClass();
        }
        // providers.md 8.1's range rules (its own inferred policy): 60000-60999 REST framework, permanent;
        // 70000-70999 account/UserSig, auth, and without minting a new UserSig, since UserSig checks in a loop are
        // what gets us locked out (70050); 1000xx room engine, permanent, like any other code.
        return errorCode >= 70000 && errorCode <= 70999 ? CREDENTIALS_REFUSED : PERMANENT;
    }

    /** The failure as the table says; the code always goes to {@code upstreamCode}. */
    static ProviderException classify(int errorCode) {
        TencentErrorClass errorClass = classOf(errorCode);
        return failure(errorCode, errorClass, errorClass.retryable());
    }

    /**
     * A code of the {@link TencentErrorClass#USERSIG_REFUSED} family once more, on a freshly minted UserSig: the
     * credentials themselves are wrong, and another attempt would only count towards a lock-out.
     */
    static ProviderException refusedAgain(int errorCode) {
        return failure(errorCode, classOf(errorCode), false);
    }

    private static ProviderException failure(int errorCode, TencentErrorClass errorClass, boolean retryable) {
        Row row = TABLE.get(errorCode);
        String message = row != null ? row.meaning() + " (" + errorCode + ")" : "Tencent answered error " + errorCode;
        return ProviderException.of(errorClass.status(), errorClass.code(), message)
            .answered(200, Integer.toString(errorCode))
            .retryable(retryable)
            .retryAfter(errorClass.pause())
            .build();
    }
}
