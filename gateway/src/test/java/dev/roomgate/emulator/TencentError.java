package dev.roomgate.emulator;

/**
 * A Tencent REST error: HTTP 200 with {@code ActionStatus:"FAIL"} and this code. The texts are Tencent's as
 * providers.md 2.5 and 8.1 quote them from the Chat "Error Codes" page and the REST overview; where 8.1 marks a text
 * UNCONFIRMED (80002, 90001, 91000) or gives none (other 1000xx), the text is only a plausible one.
 */
record TencentError(int code, String info) {

    static TencentError of(int code) {
        return new TencentError(code, switch (code) {
            case 60002 -> "HTTP parse error, please check the URL format";
            case 60003 -> "request JSON parse error";
            case 60004, 60005 -> "The request URI or the UserID or UserSig in the JSON packet is incorrect";
            case 60006 -> "SDKAppID is invalid";
            case 60007 -> "The RESTful API call exceeds the frequency limit. Try again later.";
            case 60008 -> "Service timeout or HTTP request format error";
            case 60009 -> "Incorrect request resource";
            case 60010 -> "identifier must be an App admin account";
            case 60011 -> "The SDKAppID request exceeds the frequency limit. Try again later.";
            case 60012 -> "SDKAppID is missing from the URL";
            case 60013 -> "Response JSON parse error";
            case 60014 -> "Account switching timed out";
            case 60015 -> "The UserID must be a string";
            case 60016 -> "The SDKAppID is disabled";
            case 60017 -> "The request is disabled";
            case 60018, 60019 -> "Too many requests. Try again later.";
            case 60020 -> "The Pro package has expired";
            case 60021 -> "The RestAPI source IP is illegal";
            case 70001 -> "UserSig expired";
            case 70002 -> "UserSig length is 0";
            case 70003, 70005 -> "Invalid UserSig";
            case 70009 -> "UserSig verification failed";
            case 70013 -> "The UserID in the request does not match the UserID in the UserSig";
            case 70014 -> "The SDKAppID in the request does not match the SDKAppID in the UserSig";
            case 70016 -> "The public key does not exist";
            case 70020 -> "SDKAppID not found";
            case 70050 -> "You are attempting UserSig authentication too often. Please try again after 1 minute.";
            case 70107 -> "The requested UserID does not exist";
            case 70169, 70202 -> "Server timed out";
            case 70402 -> "Invalid parameter";
            case 70403 -> "The operation requires app admin permission";
            case 70500 -> "Internal server error";
            case 80002 -> "Message content too long";
            case 90001 -> "JSON format parse failed";
            case 91000 -> "Internal service error, please retry";
            case 100001 -> "Internal server error, please retry";
            case 100002 -> "Invalid parameter";
            case 100004 -> "The room does not exist";
            case 100006 -> "The room type must be Live";
            case 100211 -> "The room does not support seat connection";
            default -> "error " + code;
        });
    }
}
