def main():
    import importlib.resources as r
    print([p.name for p in r.files("kg").joinpath("ontology").iterdir()])
