"""Mobile apps (phi_lint.mobile): manifests, platform flags, automatic logging, SDK calls, screens."""

from __future__ import annotations

import json

from helpers import finding_lines, scan_tree

from phi_lint.catalogue import load_catalogue
from phi_lint.discovery import classify
from phi_lint.mobile.manifests import declared
from phi_lint.mobile.platform import settings
from phi_lint.mobile.screens import health_screens_by_name, screens_in
from phi_lint.mobile.sightings import mobile_sightings

ANDROID_MANIFEST = """<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application>
{meta}
</application></manifest>
"""
FB_GRADLE = 'dependencies {\n    implementation("com.facebook.android:facebook-android-sdk:17.0.0")\n}\n'
HEALTH_SCREEN = """import android.app.Activity
class LabResultsActivity : Activity() {}
"""


def _app(tmp_path, meta: str | None):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app/src/main/java/org/x").mkdir(parents=True)
    (tmp_path / "app/build.gradle.kts").write_text(FB_GRADLE)
    (tmp_path / "app/src/main/java/org/x/LabResultsActivity.kt").write_text(HEALTH_SCREEN)
    if meta is not None:
        (tmp_path / "app/src/main/AndroidManifest.xml").write_text(ANDROID_MANIFEST.format(meta=meta))
    return finding_lines(scan_tree(tmp_path), tmp_path)


def test_auto_logging_without_a_flag_is_reported_at_the_dependency(tmp_path):
    assert _app(tmp_path, None) == [
        "PHI002 app/build.gradle.kts:2 facebook-sdk",
        "PHI100 app/build.gradle.kts:2 facebook-sdk",
    ]


def test_auto_logging_turned_off_in_the_manifest_is_no_finding(tmp_path):
    meta = '<meta-data android:name="com.facebook.sdk.AutoLogAppEventsEnabled" android:value="false"/>'
    assert _app(tmp_path, meta) == ["PHI100 app/build.gradle.kts:2 facebook-sdk"]


def test_auto_logging_turned_on_in_the_manifest_is_reported_at_the_flag(tmp_path):
    meta = '<meta-data android:name="com.facebook.sdk.AutoLogAppEventsEnabled" android:value="true"/>'
    assert _app(tmp_path, meta) == [
        "PHI002 app/src/main/AndroidManifest.xml:2 facebook-sdk",
        "PHI100 app/build.gradle.kts:2 facebook-sdk",
    ]


def test_auto_logging_in_an_app_without_health_screens_is_inventory(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app/build.gradle.kts").write_text(FB_GRADLE)
    result = scan_tree(tmp_path)
    assert finding_lines(result, tmp_path) == ["PHI100 app/build.gradle.kts:2 facebook-sdk"] * 2


def test_commented_manifest_flag_is_not_read():
    text = ANDROID_MANIFEST.format(meta='<!-- <meta-data android:name="firebase_analytics_collection_enabled" android:value="false"/> -->')
    assert settings("AndroidManifest.xml", text) == {}


def test_plist_booleans_and_strings():
    text = "<dict><key>FacebookAutoLogAppEventsEnabled</key>\n<false/>\n<key>FacebookAppID</key><string>123</string></dict>"
    found = settings("Info.plist", text)
    assert found["FacebookAutoLogAppEventsEnabled"].on is False
    assert found["FacebookAppID"].value == "123"


def test_manifest_readers():
    assert [d.name for d in declared("Podfile", "pod 'FBSDKCoreKit', '~> 17'\n# pod 'Adjust'\n")[1]] == ["FBSDKCoreKit"]
    cartfile = declared("Cartfile", 'github "AppsFlyerSDK/AppsFlyerFramework" ~> 6.14\n')[1]
    assert [d.name for d in cartfile] == ["AppsFlyerSDK/AppsFlyerFramework"]
    swift = declared("Package.swift", '.package(url: "https://github.com/facebook/facebook-ios-sdk.git", from: "17.0.0")')[1]
    assert "facebook-ios-sdk" in [d.name for d in swift]
    pub = declared("pubspec.yaml", "name: x\ndependencies:\n  firebase_analytics: ^11.0.0\n  nested:\n    path: ../x\nflutter:\n  uses-material-design: true\n")[1]
    assert [d.name for d in pub] == ["firebase_analytics", "nested"]
    catalog = declared("libs.versions.toml", 'af = { group = "com.appsflyer", name = "af-android-sdk", version = "6" }\n')[1]
    assert [d.name for d in catalog] == ["com.appsflyer:af-android-sdk"]


def test_only_mobile_names_and_endings_are_mobile_files():
    assert classify("AndroidManifest.xml") == "mobile"
    assert classify("Podfile") == "mobile"
    assert classify("SymptomView.swift") == "mobile"
    assert classify("app.config.ts") == "script"  # Angular has one too
    assert classify("Service.java") == "code"


def test_server_java_without_android_is_not_read_for_sdk_calls(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "Events.java").write_text(
        "import com.amplitude.Amplitude;\nclass Events { void f(String diagnosis) { amplitude.track(diagnosis); } }\n")
    # no mobile SDK call (it would say "handed health data by amplitude.track" as an app screen's
    # call); the server-side sender analysis (phi_lint.senders) judges this file instead
    result = scan_tree(tmp_path)
    assert [f.sighting.kind for f in result.findings] == ["server-send"]


def test_data_put_into_a_bundle_before_the_call_is_sent():
    code = """import android.os.Bundle
import com.google.firebase.analytics.FirebaseAnalytics
class ResultActivity : Activity() {
    fun done(email: String) {
        val extras = Bundle()
        extras.putString("contact", email)
        extras.putString("screen", "result")
        analytics.logEvent("done", extras)
    }
}
"""
    found, _ = mobile_sightings("ResultActivity.kt", code, load_catalogue(), {"firebase-analytics"})
    sent = [s for s in found if s.kind == "data-sent"]
    assert len(sent) == 1
    # "contact" names no personal data, the value put under it does; "screen" holds a constant
    assert sent[0].details["sent"] == [{"key": "email", "source": "email", "class": "contact"}]


def test_event_name_alone_is_not_data():
    code = 'import FirebaseAnalytics\nstruct SymptomView: View { func f() { Analytics.logEvent("diagnosis_viewed", parameters: nil) } }\n'
    found, _ = mobile_sightings("SymptomView.swift", code, load_catalogue(), {"firebase-analytics"})
    assert [s.kind for s in found] == ["call"]
    assert found[0].details["healthScreen"]


def test_screens_by_name_and_title():
    code = 'class LoginActivity : Activity() { init { title = "Lab results" } }\nclass SettingsFragment : Fragment()\n'
    screens = screens_in(code)
    assert [s.name for s in screens] == ["LoginActivity", "SettingsFragment"]
    assert screens[0].health and "Lab results" in screens[0].health
    assert screens[1].health is None
    assert health_screens_by_name(["lib/symptom_checker_page.dart", "lib/home_page.dart", "README.md"]) == [
        ("lib/symptom_checker_page.dart", "screen SymptomCheckerPage names `symptom checker`")]


def test_json_pages_of_a_health_screen_finding_carry_evidence(tmp_path):
    from helpers import run_cli

    (tmp_path / ".git").mkdir()
    (tmp_path / "SymptomView.swift").write_text(
        'import AppsFlyerLib\nstruct SymptomView: View { func f() { AppsFlyerLib.shared().logEvent("x", withValues: nil) } }\n')
    data = json.loads(run_cli("-f", "json", str(tmp_path)).stdout)
    phi002 = [f for f in data["findings"] if f["rule"] == "PHI002"]
    assert phi002 and phi002[0]["pages"][0]["evidence"]


def test_deeply_nested_call_arguments_are_read_without_recursion():
    depth = 1500  # deeper than Python's recursion limit
    code = ("import android.os.Bundle\nclass SymptomActivity : Activity() {\n fun f(diagnosis: String) {\n"
            "  analytics.logEvent(\"x\", " + "listOf(" * depth + "diagnosis" + ")" * depth + ")\n }\n}\n")
    found, problems = mobile_sightings("SymptomActivity.kt", code, load_catalogue(), {"firebase-analytics"})
    assert problems == []
    sent = [s.details["sent"] for s in found if s.kind == "data-sent"]
    assert sent == [[{"key": "diagnosis", "source": "diagnosis", "class": "health"}]]


def test_pubspec_dependency_given_by_git_or_path_is_declared_at_its_own_line():
    text = ("name: x\ndependencies:\n  # firebase_analytics: ^11.0.0\n  appsflyer_sdk:\n    git:\n"
            "      url: https://github.com/AppsFlyerSDK/appsflyer-flutter-plugin\n  'adjust_sdk': ^5.0.0\n")
    found = declared("pubspec.yaml", text)[1]
    assert [(d.name, text.count("\n", 0, d.start) + 1, text[d.start:d.end]) for d in found] == [
        ("appsflyer_sdk", 4, "appsflyer_sdk"), ("adjust_sdk", 7, "adjust_sdk")]



def _expo_plugins(name: str, code: str):
    from phi_lint.engine.analyzer import Analyzer, sightings_in_text

    found, problems = sightings_in_text(name, code, Analyzer(load_catalogue()))
    return sorted((s.vendor_id, s.span.line) for s in found if s.kind == "dependency"), problems


def test_expo_app_config_plugins_are_read_statically():
    code = """const braze = ['@braze/expo-plugin', { androidApiKey: 'x' }];
const base = ['react-native-appsflyer'];
export default ({ config }: ConfigContext): ExpoConfig => ({
  ...config,
  plugins: [
    ...(config.plugins ?? []),
    // 'react-native-adjust',
    ['react-native-fbsdk-next', { appID: '1234567890123456' }],
    braze,
    ...base,
    'expo-router',
  ],
});
config.plugins.push(`react-native-kochava-tracker`);
"""
    found, problems = _expo_plugins("app.config.ts", code)
    assert found == [("appsflyer", 2), ("braze", 1), ("facebook-sdk", 8), ("kochava", 14)]
    assert problems == []


def test_expo_app_config_object_form_and_expo_plugins():
    code = "module.exports = { expo: { name: 'x', plugins: ['react-native-fbsdk-next'] } };\n"
    assert _expo_plugins("app.config.js", code) == ([("facebook-sdk", 1)], [])


def test_expo_app_config_plugins_behind_a_condition_are_read_from_each_branch():
    code = """const ads = () => process.env.ADS === '1';
export default ({ config }) => ({
  ...config,
  plugins: [
    ...(ads() ? ['react-native-appsflyer', ['react-native-fbsdk-next', { appID: '1' }]] : []),
    ...(process.env.BRAZE && [['@braze/expo-plugin', {}]]),
    'expo-font',
  ],
});
"""
    assert _expo_plugins("app.config.js", code) == ([("appsflyer", 5), ("braze", 6), ("facebook-sdk", 5)], [])


def test_expo_app_config_built_at_run_time_is_said():
    code = """const extra = process.env.ADS ? ['react-native-appsflyer'] : [];
export default () => ({ plugins: [...extra, withLocalThing, process.env.PLUGIN] });
"""
    found, problems = _expo_plugins("app.config.js", code)
    assert found == []
    assert len(problems) == 1 and "`...extra`, `withLocalThing`, `process.env.PLUGIN`" in problems[0]
    whole, said = _expo_plugins("app.config.js", "export default { plugins: buildPlugins() };\n")
    assert whole == [] and "`buildPlugins()`" in said[0]


def test_angular_app_config_is_not_read_as_expo():
    code = "export const appConfig: ApplicationConfig = { providers: [provideRouter(routes)] };\n"
    assert _expo_plugins("app.config.ts", code) == ([], [])


def test_expo_app_config_own_plugin_functions_are_a_note():
    from phi_lint.mobile.expoconfig import problem_level

    code = """import withSplash from './plugins/withSplash';
const { withIcons } = require('../shared/plugins');
function withLocal(config) { return config; }
export default { plugins: [withSplash, withIcons, withLocal, 'react-native-fbsdk-next'] };
"""
    found, problems = _expo_plugins("app.config.ts", code)
    assert found == [("facebook-sdk", 4)]
    assert [problem_level(p) for p in problems] == ["note"]
    assert "`withSplash`, `withIcons`, `withLocal`" in problems[0]


def test_apps_of_a_repository():
    from phi_lint.mobile.apps import find_apps

    texts = {
        "phone/build.gradle.kts": 'plugins { id("com.android.application") }\ndependencies { implementation(project(":features:symptoms")) }\n',
        "watch/build.gradle": "plugins { id 'com.android.application' }\n",
        "features/symptoms/build.gradle.kts": 'plugins { id("com.android.library") }\n',
        "features/unused/build.gradle.kts": 'plugins { id("com.android.library") }\n',
        "flutter_app/pubspec.yaml": "name: x\ndependencies:\n  flutter:\n    sdk: flutter\n",
        "flutter_app/android/app/build.gradle": "apply plugin: 'com.android.application'\n",
        "flutter_app/ios/Runner/Info.plist": "<dict/>",
        "ios/Clinic/Supporting Files/Info.plist": "<dict/>",
    }
    apps = find_apps(sorted(texts) + ["gradle/libs.versions.toml"], texts.get)
    assert sorted(apps.roots) == ["flutter_app", "ios/Clinic", "phone", "watch"]
    assert apps.apps_of("phone/src/main/LabActivity.kt") == ("phone",)
    assert apps.apps_of("features/symptoms/src/SymptomActivity.kt") == ("phone",)
    assert apps.apps_of("flutter_app/android/app/src/main/AndroidManifest.xml") == ("flutter_app",)
    assert apps.apps_of("ios/Clinic/Views/LabView.swift") == ("ios/Clinic",)
    assert sorted(apps.apps_of("features/unused/src/X.kt")) == sorted(apps.roots)  # named by no app: shared
    assert sorted(apps.apps_of("gradle/libs.versions.toml")) == sorted(apps.roots)
    assert find_apps(["app/build.gradle.kts"], {"app/build.gradle.kts": ""}.get).roots == ("",)  # no app found: one app


def test_catalog_sdk_is_judged_for_the_apps_that_use_its_alias(tmp_path):
    (tmp_path / ".git").mkdir()
    files = {
        "gradle/libs.versions.toml": '[libraries]\nfacebook-core = { module = "com.facebook.android:facebook-core", version = "17.0.0" }\n',
        "phone/build.gradle.kts": 'plugins { id("com.android.application") }\ndependencies { implementation(libs.facebook.core) }\n',
        "phone/src/main/java/org/x/HomeActivity.kt": "import android.app.Activity\nclass HomeActivity : Activity()\n",
        "clinic/build.gradle.kts": 'plugins { id("com.android.application") }\n',
        "clinic/src/main/java/org/x/LabResultsActivity.kt": HEALTH_SCREEN,
    }
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    # the clinic app has the health screen but does not use the SDK: the phone app's automatic
    # logging is inventory
    assert finding_lines(scan_tree(tmp_path), tmp_path) == ["PHI100 gradle/libs.versions.toml:2 facebook-sdk"] * 2
    (tmp_path / "clinic/build.gradle.kts").write_text('plugins { id("com.android.application") }\ndependencies { implementation(libs.facebook.core) }\n')
    assert finding_lines(scan_tree(tmp_path), tmp_path) == [
        "PHI002 gradle/libs.versions.toml:2 facebook-sdk", "PHI100 gradle/libs.versions.toml:2 facebook-sdk"]


def test_a_changed_manifest_flag_is_seen_by_the_next_cached_scan(tmp_path):
    meta = '<meta-data android:name="com.facebook.sdk.AutoLogAppEventsEnabled" android:value="{}"/>'
    cache = tmp_path / "cache"
    repo = tmp_path / "repo"
    repo.mkdir()
    _app(repo, meta.format("true"))
    first = finding_lines(scan_tree(repo, cache_dir=cache), repo)
    (repo / "app/src/main/AndroidManifest.xml").write_text(ANDROID_MANIFEST.format(meta=""))
    # build.gradle.kts is unchanged (a cache hit), but its automatic-logging judgement depends on the manifest
    assert first == ["PHI002 app/src/main/AndroidManifest.xml:2 facebook-sdk", "PHI100 app/build.gradle.kts:2 facebook-sdk"]
    assert finding_lines(scan_tree(repo, cache_dir=cache), repo) == [
        "PHI002 app/build.gradle.kts:2 facebook-sdk", "PHI100 app/build.gradle.kts:2 facebook-sdk"]


def test_native_location_sdks_are_phi008_under_consumer_health(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app/build.gradle").write_text(
        "dependencies {\n    implementation 'com.foursquare:movementsdk:4.0.0'\n"
        "    implementation 'com.gimbal.android.v4:gimbal-sdk:4.10.1'\n}\n")
    (tmp_path / "Podfile").write_text("target 'Clinic' do\n  pod 'MovementSdk'\n  pod 'Gimbal'\nend\n")
    assert finding_lines(scan_tree(tmp_path, profile="consumer-health"), tmp_path) == [
        "PHI008 Podfile:2 foursquare-movement", "PHI008 Podfile:3 gimbal",
        "PHI008 app/build.gradle:2 foursquare-movement", "PHI008 app/build.gradle:3 gimbal"]
    assert {line.split()[0] for line in finding_lines(scan_tree(tmp_path), tmp_path)} == {"PHI100"}


def test_apps_of_a_monorepo_are_worked_out_once_per_file(tmp_path, monkeypatch):
    """A Gradle monorepo of many library modules, each with tracking SDKs and its own manifest:
    which app a file ships in is asked for each dependency line, config and screen, so it must be
    answered once per file (400 modules took 38 s when it was not)."""
    from phi_lint.mobile import apps as apps_module

    modules = 30
    (tmp_path / ".git").mkdir()
    names = []
    for number in range(modules):
        name = f"feature{number}"
        names.append(name)
        (tmp_path / name / "src/main").mkdir(parents=True)
        (tmp_path / name / "build.gradle").write_text(
            "plugins { id 'com.android.library' }\ndependencies {\n"
            " implementation 'com.google.firebase:firebase-analytics:21.0.0'\n"
            " implementation 'com.facebook.android:facebook-core:17.0.0'\n}\n")
        (tmp_path / name / "src/main/AndroidManifest.xml").write_text(
            '<manifest xmlns:android="http://schemas.android.com/apk/res/android"><application>'
            '<meta-data android:name="firebase_analytics_collection_enabled" android:value="false"/>'
            '</application></manifest>')
    (tmp_path / "app/src/main").mkdir(parents=True)
    (tmp_path / "app/build.gradle").write_text(
        "plugins { id 'com.android.application' }\ndependencies {\n"
        + "".join(f" implementation project(':{n}')\n" for n in names) + "}\n")
    calls = [0]
    under = apps_module._under

    def counted(rel, directory):
        calls[0] += 1
        return under(rel, directory)

    monkeypatch.setattr(apps_module, "_under", counted)
    lines = finding_lines(scan_tree(tmp_path), tmp_path)
    assert any(line.startswith("PHI100 feature0/build.gradle:3") for line in lines)
    # once per file: at most files × libraries (990 here); per dependency line, config and app it
    # was 16,500, growing with the cube of the module count
    assert calls[0] <= (3 * modules + 2) * modules, calls[0]


def test_expo_const_list_that_spreads_itself_is_read_once():
    code = """const base = ['react-native-fbsdk-next', ...base];
export default { expo: { plugins: [...base] } };
"""
    found, problems = _expo_plugins("app.config.js", code)
    assert found == [("facebook-sdk", 1)]
    assert problems == []


def test_expo_chain_of_doubling_const_lists_costs_its_size():
    """p1 = [...p0, ...p0], …, p39: read list by list it is 2^40 entries; each const is read once."""
    lines = ["const p0 = ['react-native-appsflyer'];"]
    lines += [f"const p{n} = [...p{n - 1}, ...p{n - 1}];" for n in range(1, 40)]
    lines.append("export default { expo: { plugins: [...p39] } };")
    found, problems = _expo_plugins("app.config.js", "\n".join(lines) + "\n")
    assert found == [("appsflyer", 1)]
    assert problems == []


def test_shared_cache_inputs_follow_the_mobile_table(monkeypatch):
    """Which mobile files decide other files' results (the cache's shared inputs) is read from
    rules/mobile.toml, so a build-file name added there cannot leave cached results stale."""
    import dataclasses

    import phi_lint.mobile as mobile

    data = mobile.table()
    assert mobile.shared_input(mobile.MOBILE, "app/build.gradle.kts")
    assert mobile.shared_input(mobile.MOBILE, "ios/Runner/Info.plist")
    assert not mobile.shared_input(mobile.MOBILE, "ios/Podfile")
    extended = dataclasses.replace(data, manifests={**data.manifests, "settings.gradle.dcl": "gradle"})
    monkeypatch.setattr(mobile, "table", lambda: extended)
    assert mobile.shared_input(mobile.MOBILE, "app/settings.gradle.dcl")


def test_app_root_file_names_are_data(tmp_path, monkeypatch):
    """The names that make a directory an app root are read from rules/mobile.toml `[apps]`: a
    build-file name added there makes its directory an app (and a shared cache input)."""
    import dataclasses

    import phi_lint.mobile as mobile
    from phi_lint.mobile import apps as apps_module

    files = ["phone/build.gradle", "watch/build.gradle.dcl"]
    texts = {rel: "plugins { id 'com.android.application' }\n" for rel in files}
    assert apps_module.find_apps(files, texts.get).roots == ("phone",)
    data = mobile.table()
    extended = dataclasses.replace(data, gradle_build_files=data.gradle_build_files | {"build.gradle.dcl"})
    monkeypatch.setattr(apps_module, "table", lambda: extended)
    monkeypatch.setattr(mobile, "table", lambda: extended)
    assert apps_module.find_apps(files, texts.get).roots == ("phone", "watch")
    assert mobile.shared_input(mobile.MOBILE, "watch/build.gradle.dcl")


def _config_plugins(code: str):
    from phi_lint.lang import Source
    from phi_lint.mobile.expoconfig import plugins_of

    return plugins_of(Source("app.config.js", code).script.tree, code)


def test_an_expo_list_named_many_times_is_read_once(monkeypatch):
    # a hostile app.config.js: `plugins: A` 300 times over one const list of 300 names read the
    # list 300 times (90,000 entries; at 3,000 × 3,000 it ran out the time budget at 1.5 GB)
    from phi_lint.mobile import expoconfig

    calls = []
    real_entry = expoconfig._Reader.entry
    monkeypatch.setattr(expoconfig._Reader, "entry", lambda self, node: calls.append(1) or real_entry(self, node))
    names = ", ".join(f'"p{i}"' for i in range(300))
    found = _config_plugins(f"const A = [{names}, \"expo-facebook\"];\nmodule.exports = [" + "{plugins: A}, " * 300 + "];\n")
    assert len(calls) == 301
    assert [d.name for d in found.declared].count("expo-facebook") == 1


def test_expo_plugin_offsets_are_character_offsets_after_non_ascii_text():
    code = "// é" * 2000 + "\nmodule.exports = { expo: { plugins: [\"expo-facebook\"] } };\n"
    found = _config_plugins(code)
    [declared] = [d for d in found.declared if d.name == "expo-facebook"]
    assert code[declared.start:declared.end].strip("\"'") == "expo-facebook"
