package luabind

import "nlsh/luabind/helptext"

// catalog is helptext's index of the descriptions, with the names
// completion asks it for.
type catalog struct{ *helptext.Catalog }

// catalog indexes NETLINK_ROUTE and the Env's constants for help and
// completion.
func (e *Env) catalog() *catalog {
	return &catalog{helptext.NewCatalog(helptext.Source{
		Route:    e.route,
		Types:    e.typeEnum(),
		Consts:   e.Consts(),
		NetlinkH: netlinkConsts,
	})}
}

// attrNames lists every attribute name, sorted, once each.
func (c *catalog) attrNames() []string { return c.AttrNames() }

// topicNames lists every name help knows, for suggestions and completion.
func (e *Env) topicNames(cat *catalog) []string { return cat.TopicNames() }
