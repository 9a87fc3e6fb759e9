"""phi_lint.lang.java: one view of Java and Kotlin trees (classes, annotations, returns, calls,
chains) for the framework modules."""

from __future__ import annotations

from phi_lint.lang import java
from phi_lint.lang.treesitter import parse

JAVA = """
@Controller
@RequestMapping(value = {"/a", "/b"}, produces = "text/html")
public class A {
    @GetMapping("/x")
    @Secured({"ROLE_A", "ROLE_B"})
    public String x(@RequestParam("q") String q) {
        if (q == null) { return "one"; }
        String s = "no";
        return "two";
    }
    String y() { return "a" + q; }
    String z() { return \"\"\"
        block\"\"\"; }
    class Inner { String w() { return "w"; } }
}
"""

KOTLIN = """package p

@Controller
@RequestMapping(path = ["/k"], produces = ["text/html"])
class K {
    @GetMapping("/x", "/y")
    fun x(): String = "one"
    fun y(name: String): String { return "v/${name}" }
}
"""


def test_java_classes_annotations_and_returned_strings():
    classes = java.classes(parse(JAVA, "java"), "java")
    assert [c.name for c in classes] == ["A", "Inner"]
    a = classes[0]
    assert [(x.name, x.line) for x in a.annotations] == [("Controller", 2), ("RequestMapping", 3)]
    assert a.annotations[1].arguments == {"value": ("/a", "/b"), "produces": ("text/html",)}
    assert [m.name for m in a.methods] == ["x", "y", "z"]  # not Inner.w
    x = a.methods[0]
    assert [(n.name, n.strings) for n in x.annotations] == [("GetMapping", ("/x",)), ("Secured", ("ROLE_A", "ROLE_B"))]
    assert java.returned_strings(x) == [("one", 8), ("two", 10)]
    assert java.returned_strings(a.methods[1]) == []  # a concatenation is no literal
    assert java.returned_strings(a.methods[2]) == []  # nor a text block


def test_kotlin_classes_annotations_and_returned_strings():
    (k,) = java.classes(parse(KOTLIN, "kotlin"), "kotlin")
    assert k.annotations[1].arguments == {"path": ("/k",), "produces": ("text/html",)}
    x, y = k.methods
    assert x.annotations[0].arguments == {"value": ("/x", "/y")}
    assert java.returned_strings(x) == [("one", 7)]
    assert java.returned_strings(y) == []  # a template with ${…}


def test_chains_first_call_first_and_lambdas_after_what_they_are_passed_to():
    code = 'class S { void c() { http.a(x -> x.b("1").c()).d("2"); } }'
    chains = java.chains(parse(code, "java").root_node, "java")
    assert [[(call.name, call.strings) for call in chain] for chain in chains] == [
        [("a", ()), ("d", ("2",))], [("b", ("1",)), ("c", ())],
    ]
    kotlin = 'fun c() { http { a { b("1").c() } }\n x.d(e, "3") }'
    chains = java.chains(parse(kotlin, "kotlin").root_node, "kotlin")
    assert [[(call.name, call.strings, call.names) for call in chain] for chain in chains] == [
        [("http", (), ())], [("a", (), ())], [("b", ("1",), ()), ("c", (), ())], [("d", ("3",), ("e",))],
    ]


def test_calls_and_assigned_strings():
    code = 'class A { Object m() { var v = new ModelAndView("a"); v.setViewName("b"); v.viewName = "c"; return v; } }'
    (a,) = java.classes(parse(code, "java"), "java")
    body = java.method_body(a.methods[0])
    assert [(c.name, c.strings) for c in java.calls(body, "java")] == [("ModelAndView", ("a",)), ("setViewName", ("b",))]
    assert java.assigned_strings(body, "java") == [("viewName", "c", 1)]


def test_no_tree_no_classes():
    assert java.classes(None, "java") == []
    assert java.language_of("A.java") == "java" and java.language_of("B.kt") == "kotlin" and java.language_of("C.groovy") is None
