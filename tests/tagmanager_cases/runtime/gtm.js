// Copyright 2012 Google Inc. All rights reserved.
(function(){

var data = {
"resource": {
  "version":"14",
  "macros":[{"function":"__e"},{"function":"__u","vtp_component":"PATH","vtp_enableMultiQueryKeys":false},{"function":"__c","vtp_value":"G-RT1ME2TEST"}],
  "tags":[{"function":"__gaawc","metadata":["map"],"once_per_event":true,"vtp_sendPageView":true,"vtp_measurementId":"G-RT1ME2TEST","tag_id":4},
    {"function":"__awct","once_per_event":true,"vtp_conversionId":"912345678","vtp_conversionLabel":"xYz","tag_id":7},
    {"function":"__html","once_per_event":true,"vtp_html":"\u003Cscript\u003Efbq('init','123456789012345');fbq('track','PageView');\u003C\/script\u003E","tag_id":9},
    {"function":"__hjtc","once_per_event":true,"vtp_hotjar_site_id":"3456789","tag_id":11}],
  "predicates":[{"function":"_eq","arg0":["macro",0],"arg1":"gtm.js"},{"function":"_re","arg0":["macro",1],"arg1":"^\\/(book|schedule)","ignore_case":true},{"function":"_sw","arg0":["macro",1],"arg1":"/portal"}],
  "rules":[[["if",0],["add",0,2,3]],[["if",0,1],["add",1]],[["if",0,2],["block",3]]]
},
"runtime":[]
};
/* GTM-RT1ME2X */
})();
