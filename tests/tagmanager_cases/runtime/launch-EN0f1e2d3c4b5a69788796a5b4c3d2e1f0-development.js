// Written for phi-lint tests: the shape of an Adobe Experience Platform Tags (Launch)
// development library, not a copy of a real one.
window._satellite = window._satellite || {};
window._satellite.container = {
  "buildInfo": {
    "turbineVersion": "27.5.0",
    "turbineBuildDate": "2026-01-10T10:00:00Z",
    "buildDate": "2026-02-01T12:00:00Z",
    "environment": "development"
  },
  "environment": {
    "id": "EN0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "stage": "development"
  },
  "dataElements": {
    "visit reason": {
      "modulePath": "core/src/lib/dataElements/domAttribute.js",
      "settings": {"elementSelector": "#visit-reason", "elementProperty": "value"}
    }
  },
  "extensions": {
    "adobe-analytics": {
      "displayName": "Adobe Analytics",
      "settings": {"libraryCode": {"type": "managed", "accounts": {"production": ["lakesideprod"]}}},
      "modules": {
        "adobe-analytics/src/lib/actions/sendBeacon.js": {
          "name": "send-beacon",
          "displayName": "Send Beacon",
          "script": function(module, exports, require, turbine) {
            "use strict";
            module.exports = function(settings) { return settings; };
          }
        }
      }
    },
    "core": {
      "displayName": "Core",
      "modules": {}
    }
  },
  "property": {"name": "Lakeside web", "settings": {"domains": ["lakeside-clinic.example"]}},
  "rules": [
    {
      "id": "RL0a1b2c3d4e5f60718293a4b5c6d7e8f9",
      "name": "All pages - page view beacon",
      "events": [{"modulePath": "core/src/lib/events/libraryLoaded.js", "settings": {}, "ruleOrder": 50}],
      "conditions": [],
      "actions": [{"modulePath": "adobe-analytics/src/lib/actions/sendBeacon.js", "settings": {"type": "page"}}]
    },
    {
      "id": "RL1b2c3d4e5f60718293a4b5c6d7e8f90a",
      "name": "Appointments - Meta pixel",
      "events": [{"modulePath": "core/src/lib/events/pageBottom.js", "settings": {}, "ruleOrder": 50}],
      "conditions": [{"modulePath": "core/src/lib/conditions/path.js",
                      "settings": {"paths": [{"value": "^/appointments", "valueIsRegex": true}]}}],
      "actions": [{"modulePath": "core/src/lib/actions/customCode.js",
                   "settings": {"source": "fbq('init', '123456789012345');\nfbq('track', 'Schedule');", "language": "javascript", "global": false}}]
    },
    {
      "id": "RL2c3d4e5f60718293a4b5c6d7e8f90a1b",
      "name": "Careers - page view beacon",
      "events": [{"modulePath": "core/src/lib/events/domReady.js", "settings": {}, "ruleOrder": 50}],
      "conditions": [{"modulePath": "core/src/lib/conditions/path.js",
                      "settings": {"paths": [{"value": "/careers", "valueIsRegex": false}, {"value": "/jobs", "valueIsRegex": false}]}}],
      "actions": [{"modulePath": "adobe-analytics/src/lib/actions/sendBeacon.js", "settings": {"type": "page"}}]
    }
  ]
};
_satellite.pageBottom = function () {};
