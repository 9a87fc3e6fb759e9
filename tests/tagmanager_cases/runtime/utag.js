//tealium universal tag - utag.loader ut4.0.202602011200, Copyright 2026 Tealium.com Inc. All Rights Reserved.
// Written for phi-lint tests: the shape of a self-hosted utag.js, not a copy of a real one.
var utag_condload = false;
if (typeof utag == "undefined" && !utag_condload) {
  var utag = {
    id: "lakeside.main",
    o: {},
    sender: {},
    send: {},
    rpt: { ts: { a: new Date() } },
    dbi: [],
    loader: { q: [], lc: 0, f: {}, p: 0, ol: 0, wq: [], lq: [], bq: {}, bk: {}, rf: 0, ri: 0, rp: 0, rq: [] },
    DB: function (a) {}
  };
  utag.o["lakeside.main"] = utag;
  utag.cfg = { template: "ut4.0.", load_rules_ajax: true, lowerqp: false, noview: false,
               path: "//tags.tiqcdn.com/utag/lakeside/main/prod/", utid: "lakeside/main/202602011200" };
  utag.loader.loadrules = function (_pd, _pc) {
    var d = _pd || utag.data; var c = _pc || utag.cond;
    for (var l in utag.loader.GV(c)) {
      switch (l) {
        case '4': try { c[4] |= (d['dom.pathname'].toString().indexOf('/careers') > -1) } catch (e) { utag.DB(e) }; break;
      }
    }
  };
  utag.loader.initcfg = function () {
    utag.loader.cfg = {"3": {load: 1, send: 1, v: 202602011200, wait: 1, tid: 7110}, "7": {load: utag.cond[4], send: 1, v: 202602011200, wait: 1, tid: 20010}};
    utag.loader.cfgsort = ["3", "7"];
  };
}
